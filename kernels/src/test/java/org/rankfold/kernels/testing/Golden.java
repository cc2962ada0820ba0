package org.rankfold.kernels.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the golden reference data is: {@code -Drankfold.golden.dir} (set by the build to the
 * repository's {@code testdata/golden}), or {@code $RANKFOLD_GOLDEN}. Missing data fails the
 * test loudly: golden tests never skip silently.
 */
public final class Golden {
    private Golden() {
    }

    public static Path dir() {
        String p = System.getProperty("rankfold.golden.dir");
        if (p == null || p.isBlank()) {
            p = System.getenv("RANKFOLD_GOLDEN");
        }
        assertTrue(p != null && !p.isBlank(), "golden data location not set (-Drankfold.golden.dir)");
        Path dir = Path.of(p).toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(dir), "golden data directory not found: " + dir);
        return dir;
    }

    public static Path file(String relative) {
        Path f = dir().resolve(relative);
        assertTrue(Files.isRegularFile(f), "golden file not found: " + f);
        return f;
    }
}
