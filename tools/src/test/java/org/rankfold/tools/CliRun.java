package org.rankfold.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.kernels.testing.Golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the CLI in-process and checks the shape of its output. */
final class CliRun {
    private CliRun() {
    }

    record Result(int code, String out, String err) {
        /** The single JSON object on stdout (fails unless stdout is exactly one JSON object line). */
        JsonNode json() {
            assertEquals(0, code, "exit code; stderr: " + err);
            String[] lines = out.strip().split("\n");
            assertEquals(1, lines.length, "one line on stdout:\n" + out);
            try {
                JsonNode n = new ObjectMapper().readTree(lines[0]);
                assertTrue(n.isObject(), "a JSON object: " + lines[0]);
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Exit code 2 with one line on stderr that contains {@code fragment}. */
        void badInput(String fragment) {
            assertEquals(2, code, "exit code; stdout: " + out + "\nstderr: " + err);
            assertEquals(1, err.strip().split("\n").length, "one line on stderr:\n" + err);
            assertTrue(err.contains(fragment), "stderr mentions '" + fragment + "':\n" + err);
            assertEquals("", out, "nothing on stdout");
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** Writes one golden array as a .npy file. */
    static Path goldenArrayAsNpy(String goldenFile, String key, Path dir, String name) {
        try {
            Map<String, NpyArray> arrays = Npz.read(Golden.file(goldenFile));
            Path p = dir.resolve(name);
            Files.write(p, NpyFormat.toBytes(arrays.get(key)));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path npy(Path dir, String name, NpyArray a) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, NpyFormat.toBytes(a));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, NpyArray> golden(String file) {
        try {
            return Npz.read(Golden.file(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
