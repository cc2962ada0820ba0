package org.rankfold.tools.safety;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Special files and links through the commands. Before: a checkpoint whose weights.safetensors linked to
 * /dev/zero or /dev/urandom made inspect, eval, train --resume and export die with OutOfMemoryError (exit 1,
 * a 20-line trace); a FIFO named x.npy or weights.safetensors hung inspect forever; --resume appended to an
 * audit.jsonl that linked outside the run; state.json linked to /etc/passwd had its first token quoted.
 */
class SpecialFilesCliTest {

    private static void mkfifo(Path file) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo is not available: " + e.getMessage());
            return;
        }
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed here");
    }

    /** A finished tiny train run. */
    private static Path run(Path dir, String name) {
        Path run = dir.resolve(name);
        Cli.run(Cli.train("--out", run.toString())).ok();
        return run;
    }

    private static void replaceWithLink(Path file, Path target) throws IOException {
        Files.delete(file);
        Files.createSymbolicLink(file, target);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void inspectRefusesAFifoInOneLineWithoutHanging(@TempDir Path dir) throws Exception {
        Path npy = dir.resolve("x.npy");
        mkfifo(npy);
        Cli.run("inspect", npy.toString()).refused(npy.toString(), "special file");
        Path run = run(dir, "run");
        Path weights = run.resolve("checkpoint/weights.safetensors");
        Files.delete(weights);
        mkfifo(weights);
        Cli.run("inspect", run.resolve("checkpoint").toString()).refused("weights.safetensors", "special file");
        Cli.run("eval", run.resolve("checkpoint").toString(), "--limit-test", "32").refused("weights.safetensors");
        Cli.run("train", "--resume", run.toString(), "--quiet").refused("weights.safetensors");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void linksToDevicesInACheckpointAreRefusedByEveryCommand(@TempDir Path dir) throws Exception {
        for (String device : List.of("/dev/zero", "/dev/urandom")) {
            assumeTrue(Files.exists(Path.of(device)), device + " does not exist here");
            Path run = run(dir, device.substring(5));
            Path ck = run.resolve("checkpoint");
            replaceWithLink(ck.resolve("weights.safetensors"), Path.of(device));
            Cli.run("inspect", ck.toString()).refused("weights.safetensors", "symbolic link");
            Cli.run("eval", ck.toString(), "--limit-test", "32").refused("weights.safetensors", "symbolic link");
            Cli.run("export", ck.toString(), "--format", "npz", "--out", dir.resolve(device.substring(5) + ".npz").toString())
                    .refused("weights.safetensors", "symbolic link");
            Cli.run("train", "--resume", run.toString(), "--quiet").refused("symbolic link");
            // A data file named on the command line may be a link, but not to a device.
            Path npy = Files.createSymbolicLink(dir.resolve(device.substring(5) + ".npy"), Path.of(device));
            Cli.run("inspect", npy.toString()).refused(npy.toString(), "special file");
        }
    }

    @Test
    void aStateJsonLinkedToAForeignFileIsNotQuoted(@TempDir Path dir) throws Exception {
        Path run = run(dir, "run");
        Path foreign = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        replaceWithLink(run.resolve("checkpoint/state.json"), foreign);
        Cli r = Cli.run("inspect", run.resolve("checkpoint").toString()).refused("state.json", "symbolic link");
        assertFalse(r.err().contains("root"), r.err());
        r = Cli.run("train", "--resume", run.toString(), "--quiet").refused("state.json");
        assertFalse(r.err().contains("root:x"), r.err());
    }

    @Test
    void resumeRefusesARunWhoseAuditLinksOutside(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path outside = Files.writeString(dir.resolve("outside.jsonl"), "");
        Files.writeString(run.resolve("config.json"), "{}");
        Files.createSymbolicLink(run.resolve("audit.jsonl"), outside);
        Cli.run("compress", "--model", "lenet5", "--data", "sample", "--limit-train", "64", "--resume", "--out", run.toString(),
                "--quiet").refused("audit.jsonl", "symbolic link");
        assertEquals("", Files.readString(outside), "nothing was appended outside the run");
        assertTrue(Files.isSymbolicLink(run.resolve("audit.jsonl")));
    }
}
