package org.rankfold.datasets.npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.rankfold.datasets.MalformedFileException;

/**
 * Fuzzes the .npz reader (ZIP container + .npy entries) through a real file, as {@code Npz.read} uses
 * {@code java.util.zip.ZipFile}: any input either reads or fails with {@link MalformedFileException}.
 * Seeds and past findings: {@code NpzFuzzTestInputs/read/}.
 */
class NpzFuzzTest {
    private static Path dir;

    @BeforeAll
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("npz-fuzz");
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        Files.deleteIfExists(dir.resolve("input.npz"));
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "30s")
    void read(byte[] data) throws IOException {
        Path f = dir.resolve("input.npz");
        Files.write(f, data);
        try {
            Npz.read(f);
        } catch (MalformedFileException expected) {
            return;
        }
    }
}
