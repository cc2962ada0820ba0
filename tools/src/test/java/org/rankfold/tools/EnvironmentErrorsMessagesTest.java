package org.rankfold.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-line descriptions of environment errors, including those a test cannot provoke on every machine
 * (permission denied is not, as root; running out of heap is estimated away before it happens).
 */
class EnvironmentErrorsMessagesTest {

    @Test
    void eachEnvironmentErrorNamesThePathAndWhatToDo() {
        assertEquals("/runs/x: permission denied; check the permissions of this path or choose another one",
                EnvironmentErrors.describe(new AccessDeniedException("/runs/x")));
        String full = EnvironmentErrors.describe(new FileSystemException("/runs/x/metrics.csv", null, "No space left on device"));
        assertTrue(full.startsWith("/runs/x/metrics.csv: no space left on the device; free some space"), full);
        assertTrue(EnvironmentErrors.describe(new UncheckedIOException(new FileSystemException("/ro/a", null,
                "Read-only file system"))).contains("read-only"));
        assertTrue(EnvironmentErrors.describe(new IOException("No space left on device")).startsWith("no space left"));
        assertTrue(EnvironmentErrors.outOfMemory().contains("RANKFOLD_HEAP"));
    }

    @Test
    void otherFailuresStayInternalErrors() {
        assertNull(EnvironmentErrors.describe(new IllegalStateException("bug")));
        assertNull(EnvironmentErrors.describe(new IOException("stream closed")));
    }
}
