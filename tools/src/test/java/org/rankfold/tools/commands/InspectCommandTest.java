package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.safetensors.SafetensorsWriter;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void printsATableAndJson(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafetensorsWriter.write(f, Map.of("conv.weight", NpyArray.ofFloats(new int[] {1, 2}, new float[] {Float.NaN, 2})), Map.of());
        Result r = run("inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("conv.weight  F32    [1, 2]"), r.out());
        assertTrue(r.out().contains("warning: 'conv.weight' holds 1 NaN"), r.out());
        Result j = run("inspect", f.toString(), "--json");
        assertEquals(0, j.code(), j.err());
        assertTrue(j.out().startsWith("{\"file\":"), j.out());
        assertTrue(j.out().contains("\"nan\":\"1\""), j.out());
        assertEquals(1, j.out().strip().lines().count(), "one JSON object on one line");
    }

    @Test
    void malformedFileIsExitTwoWithOneLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, new byte[] {0, 0, 0, 0, 0, 0, 0, 16, '{', '}'});
        Result r = run("inspect", f.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("at offset 0: a header length of at most 100000000 bytes"), r.err());
    }

    @Test
    void directoriesAndMissingFiles(@TempDir Path dir) {
        Result d = run("inspect", dir.toString());
        assertEquals(2, d.code());
        assertTrue(d.err().contains("not a checkpoint"), d.err());
        Result m = run("inspect", dir.resolve("nope.npy").toString());
        assertEquals(2, m.code());
        assertTrue(m.err().contains("no such file"), m.err());
    }
}
