package org.rankfold.tools.safety;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.tools.ChildCli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Errors of the machine, in one line naming the path and what to do, exit 2. Before: a full disk printed
 * "internal error: java.io.IOException: No space left on device" and 24 lines without the file; a read-only
 * directory, --out on an existing file, a batch too large for the heap, --expand 100 and --expand 1000 all
 * ended in traces (FileAlreadyExistsException, OutOfMemoryError, ArrayIndexOutOfBoundsException).
 *
 * <p>The disk cases use a real size-limited or read-only file system (tmpfs), mounted when this process
 * may mount (root on Linux), skipped with the reason otherwise.
 */
class EnvironmentErrorsTest {

    private static int sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** Mounts a tmpfs of {@code options} on {@code dir}, or skips the test saying why. */
    private static void mount(Path dir, String options) throws Exception {
        Files.createDirectories(dir);
        int code;
        try {
            code = sh("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
        } catch (IOException e) {
            code = -1;
        }
        assumeTrue(code == 0, "cannot mount a tmpfs here (needs root on Linux): this machine's disk-full and read-only"
                + " cases are not exercised");
    }

    private static void unmount(Path dir) throws Exception {
        sh("umount", "-l", dir.toString());
    }

    @Test
    void aFullDiskIsOneLineAndThePreviousCheckpointStays(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("small");
        mount(m, "size=4m");
        try {
            Path run = m.resolve("run");
            Cli.run(Cli.train("--out", run.toString())).ok();
            try (OutputStream out = Files.newOutputStream(m.resolve("filler"))) {
                byte[] chunk = new byte[64 << 10];
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException full) {
                // the file system is full now
            }
            Cli.run("train", "--resume", run.toString(), "--epochs", "3", "--threads", "1", "--quiet")
                    .refused("no space left", m.toString());
            assertEquals(1, CheckpointReader.load(run.resolve("checkpoint")).training().epochsDone(),
                    "the previous checkpoint is intact");
        } finally {
            unmount(m);
        }
    }

    @Test
    void aReadOnlyFileSystemIsOneLine(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("ro");
        mount(m, "size=4m");
        try {
            Path run = m.resolve("run");
            Cli.run(Cli.train("--out", run.toString())).ok();
            assumeTrue(sh("mount", "-o", "remount,ro", m.toString()) == 0, "cannot remount read-only here");
            Cli.run(Cli.train("--out", m.resolve("new").toString())).refused("read-only", m.resolve("new").toString());
            Cli.run("train", "--resume", run.toString(), "--epochs", "2", "--quiet").refused("read-only");
            Cli.run("export", run.resolve("checkpoint").toString(), "--format", "npz", "--out", m.resolve("x.npz").toString())
                    .refused("read-only");
            Cli.run("decompose", run.resolve("checkpoint").toString(), "--out", m.resolve("dec").toString()).refused("read-only");
        } finally {
            unmount(m);
        }
    }

    @Test
    void outOnAnExistingFileIsOneLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Cli.run(Cli.train("--out", file.toString())).refused(file.toString(), "existing file");
        Cli.run("compress", "--model", "lenet5", "--data", "sample", "--out", file.toString(), "--quiet")
                .refused(file.toString(), "existing file");
        Cli.run(Cli.train("--out", file.resolve("run").toString())).refused(file.toString());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void anExpansionTooLargeIsRefusedBeforeTraining(@TempDir Path dir) {
        for (String e : List.of("1000", "100")) {
            Cli r = Cli.run("compress", "--model", "resnet20", "--data", "sample", "--variants", "overparam", "--overparam",
                    "expand", "--expand", e, "--limit-train", "64", "--quiet", "--out", dir.resolve("x" + e).toString());
            r.refused("--expand " + e);
            assertFalse(Files.exists(dir.resolve("x" + e).resolve("checkpoints")), "refused before the baseline trained");
        }
    }

    @Test
    void aBatchTooLargeForTheHeapIsRefusedBeforeAllocating(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log");
        Process p = ChildCli.start(List.of("-Xmx128m"), List.of("train", "--model", "resnet20", "--data", "sample", "--epochs",
                "1", "--batch", "6000", "--threads", "1", "--quiet", "--out", dir.resolve("run").toString()), log);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertEquals(2, p.exitValue(), out);
        assertEquals(1, out.lines().filter(l -> l.startsWith("rankfold")).count(), out);
        assertFalse(out.contains("Exception") || out.contains("OutOfMemoryError"), out);
        assertTrue(out.contains("--batch 6000 needs at least") && out.contains("RANKFOLD_HEAP"), out);
    }
}
