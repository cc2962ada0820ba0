package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The records of a run stay inside it: a symbolic link in place of {@code audit.jsonl} or {@code metrics.csv}
 * (pointing at a file outside the run) is refused, and the file it points at is neither written nor read.
 */
class RunDirectoryLinksTest {
    @TempDir
    Path tmp;

    @Test
    void anAuditLinkIsNotAppendedThrough() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "user notes\n");
        RunDirectory dir = new RunDirectory(run);
        Files.createSymbolicLink(dir.audit(), outside);
        assertThrows(IOException.class, () -> dir.appendAudit(JsonNodeFactory.instance.objectNode().put("k", 1)));
        assertEquals("user notes\n", Files.readString(outside, StandardCharsets.UTF_8));
    }

    @Test
    void aMetricsLinkIsNotReadNorReplacedThrough() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path outside = Files.writeString(tmp.resolve("secret.csv"), "baseline,1,secret\n");
        RunDirectory dir = new RunDirectory(run);
        Files.deleteIfExists(dir.metrics());
        Files.createSymbolicLink(dir.metrics(), outside);
        assertThrows(IOException.class, () -> dir.clearMetrics("baseline"));
        assertEquals("baseline,1,secret\n", Files.readString(outside, StandardCharsets.UTF_8));
    }
}
