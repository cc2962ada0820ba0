package org.rankfold.tools.safety;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.checkpoint.Weights;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.tools.output.RunLock;
import org.rankfold.tools.output.RunMarker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers only replace what they wrote. Before: {@code import --out .} deleted the project it was run in,
 * {@code decompose --out RUN} replaced a finished run, {@code train --out FINISHED_RUN} silently replaced
 * it, {@code export --out} overwrote any file. Now a target that is not empty and not ours is refused in one
 * line, and replacing our own needs {@code --overwrite}.
 */
class WritersReplaceOnlyTheirOwnTest {
    private static final InputShape IN = new InputShape(1, 28, 28, 10);

    /** A directory that looks like someone's project. */
    private static Path project(Path dir) throws IOException {
        Path p = Files.createDirectories(dir.resolve("proj"));
        Files.createDirectories(p.resolve("src"));
        Files.writeString(p.resolve("src/Main.java"), "class Main {}");
        Files.writeString(p.resolve("notes.txt"), "my notes");
        return p;
    }

    private static void assertProjectIntact(Path p) throws IOException {
        assertEquals("my notes", Files.readString(p.resolve("notes.txt")));
        assertEquals("class Main {}", Files.readString(p.resolve("src/Main.java")));
    }

    private static Path stateDict(Path dir, Module model) throws IOException {
        Path file = dir.resolve("base.npz");
        Npz.write(file, Weights.stateDict(model, 0));
        return file;
    }

    @Test
    void importAndDecomposeRefuseADirectoryTheyDidNotWrite(@TempDir Path dir) throws IOException {
        Path proj = project(dir);
        Path npz = stateDict(dir, IN.createZooModel("fashionnet", 1));
        Cli.run("import", "--model", "fashionnet", npz.toString(), "--out", proj.toString())
                .refused("--out", proj.toString(), "not a rankfold checkpoint");
        assertProjectIntact(proj);

        Path ck = dir.resolve("ck");
        Cli.run("import", "--model", "fashionnet", npz.toString(), "--out", ck.toString()).ok();
        Cli.run("import", "--model", "fashionnet", npz.toString(), "--out", ck.toString()).refused("--overwrite");
        Cli.run("import", "--model", "fashionnet", npz.toString(), "--out", ck.toString(), "--overwrite").ok();

        Cli.run("decompose", ck.toString(), "--out", proj.toString()).refused("--out", "not a rankfold checkpoint");
        assertProjectIntact(proj);
        Path dec = dir.resolve("dec");
        Cli.run("decompose", ck.toString(), "--out", dec.toString()).ok();
        Cli.run("decompose", ck.toString(), "--out", dec.toString()).refused("--overwrite");
        Cli.run("decompose", ck.toString(), "--out", dec.toString(), "--overwrite").ok();

        // A finished run (our marker, not a checkpoint) is not replaced by a checkpoint either.
        Path run = dir.resolve("run");
        Cli.run(Cli.train("--out", run.toString())).ok();
        Cli.run("decompose", ck.toString(), "--out", run.toString(), "--overwrite").refused("not a rankfold checkpoint");
        assertTrue(Files.isDirectory(run.resolve("checkpoint")) && Files.isDirectory(run.resolve("best")));
    }

    @Test
    void trainRefusesAFinishedRunWithoutOverwriteAndAForeignDirectoryAlways(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        Cli.run(Cli.train("--out", run.toString(), "--seed", "1")).ok();
        assertTrue(RunMarker.present(run));
        byte[] weights = Files.readAllBytes(run.resolve("checkpoint/weights.safetensors"));
        Cli.run(Cli.train("--out", run.toString(), "--seed", "2")).refused(run.toString(), "--overwrite");
        assertArrayEquals(weights, Files.readAllBytes(run.resolve("checkpoint/weights.safetensors")));

        Files.writeString(run.resolve("stale-note.txt"), "from before");
        Cli.run(Cli.train("--out", run.toString(), "--seed", "2", "--overwrite")).ok();
        assertFalse(Files.exists(run.resolve("stale-note.txt")), "--overwrite replaces the whole previous run");
        assertFalse(java.util.Arrays.equals(weights, Files.readAllBytes(run.resolve("checkpoint/weights.safetensors"))));
        assertEquals(2, new ObjectMapper().readTree(run.resolve("checkpoint/state.json").toFile()).path("config").path("seed").asInt());
        assertTrue(Files.isRegularFile(run.resolve(RunLock.FILE)));

        Path proj = project(dir);
        Cli.run(Cli.train("--out", proj.toString(), "--overwrite")).refused("not empty", RunMarker.FILE);
        assertProjectIntact(proj);
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Cli.run(Cli.train("--out", file.toString())).refused("existing file");
        Cli.run("compress", "--model", "fashionnet", "--data", "sample", "--out", proj.toString(), "--quiet")
                .refused("not empty", RunMarker.FILE);
        assertProjectIntact(proj);
    }

    @Test
    void exportReplacesAFileOnlyWithOverwrite(@TempDir Path dir) throws IOException {
        Path ck = dir.resolve("ck");
        CheckpointWriter.save(ck, IN.createZooModel("fashionnet", 1), "fashionnet", IN, new TrainingState(0, 0, List.of()),
                null, null, null);
        Path out = Files.writeString(dir.resolve("keep.npz"), "precious");
        Cli.run("export", ck.toString(), "--format", "npz", "--out", out.toString()).refused("--overwrite", out.toString());
        assertEquals("precious", Files.readString(out));
        Cli.run("export", ck.toString(), "--format", "npz", "--out", out.toString(), "--overwrite").ok();
        assertFalse(Npz.read(out).isEmpty());
    }

    @Test
    void importRefusesANegativeRunningVariance(@TempDir Path dir) throws IOException {
        Map<String, NpyArray> sd = new LinkedHashMap<>(Weights.stateDict(IN.createZooModel("fashionnet", 1), 0));
        String key = sd.keySet().stream().filter(k -> k.endsWith("running_var")).findFirst().orElseThrow();
        float[] v = sd.get(key).asFloats();
        v[3] = -0.5f;
        sd.put(key, NpyArray.ofFloats(sd.get(key).shape(), v));
        Path file = dir.resolve("neg.npz");
        Npz.write(file, sd);
        Path out = dir.resolve("out");
        Cli.run("import", "--model", "fashionnet", file.toString(), "--out", out.toString()).refused(key, "negative");
        assertFalse(Files.exists(out));
    }
}
