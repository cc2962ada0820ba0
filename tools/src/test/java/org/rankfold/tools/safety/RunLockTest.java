package org.rankfold.tools.safety;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.ChildCli;
import org.rankfold.tools.output.RunLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One writer per run directory, with two real JVMs. Before: two {@code train --out X} started seconds
 * apart both exited 0 with a run mixed of both seeds; two {@code compress --resume} doubled every audit
 * record. Now the second writer gets one line naming the holder's PID and start time.
 */
class RunLockTest {

    private static String waitForHolder(Process p, Path run) throws Exception {
        Path lock = run.resolve(RunLock.FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive()) {
            assertTrue(System.nanoTime() < deadline, "no lock holder within 120 s");
            if (Files.isRegularFile(lock) && Files.readString(lock).contains("pid " + p.pid())) {
                return Files.readString(lock);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the first writer ended before it was seen holding the lock");
    }

    @Test
    void aSecondWriterIsRefusedNamingTheHolder(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Process first = ChildCli.start(List.of("train", "--model", "lenet5", "--data", "sample", "--epochs", "30", "--batch", "32",
                "--limit-train", "2048", "--limit-test", "32", "--threads", "1", "--quiet", "--out", run.toString()), dir.resolve("log1"));
        try {
            String holder = waitForHolder(first, run);
            assertTrue(holder.contains("started "), holder);
            // A second JVM: a resume of the same run, and a new run over it with --overwrite (nothing deleted first).
            Process second = ChildCli.start(List.of("train", "--resume", run.toString(), "--quiet"), dir.resolve("log2"));
            assertTrue(second.waitFor(120, TimeUnit.SECONDS));
            String log2 = Files.readString(dir.resolve("log2"));
            assertEquals(2, second.exitValue(), log2);
            assertTrue(log2.contains("in use by another rankfold process (PID " + first.pid() + ", started "), log2);
            // The child JVM may print notes of its own flags (compiler directives); the CLI prints one line.
            assertEquals(1, log2.lines().filter(l -> l.startsWith("rankfold")).count(), log2);
            assertEquals(0, log2.lines().filter(l -> l.contains("Exception") || l.startsWith("\tat ")).count(), log2);

            Cli over = Cli.run(Cli.train("--out", run.toString(), "--overwrite"));
            over.refused("PID " + first.pid());
            assertTrue(Files.isRegularFile(run.resolve("rankfold-run.json")), "the holder's run was not cleared");
            Cli.run("compress", "--model", "lenet5", "--data", "sample", "--resume", "--out", run.toString(), "--quiet")
                    .refused("PID " + first.pid());
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        // The operating system released the lock with the killed process: the run can be resumed.
        Cli.run("train", "--resume", run.toString(), "--epochs", "1", "--threads", "1", "--quiet").ok();
    }

    @Test
    void twoCompressionsOfOneRunCannotRunAtOnce(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Process first = ChildCli.start(List.of("compress", "--model", "lenet5", "--data", "sample", "--variants", "plain",
                "--epochs", "30", "--limit-train", "2048", "--limit-test", "32", "--threads", "1", "--seed", "1", "--quiet",
                "--out", run.toString()), dir.resolve("log1"));
        try {
            waitForHolder(first, run);
            Process second = ChildCli.start(List.of("compress", "--model", "lenet5", "--data", "sample", "--variants", "plain",
                    "--epochs", "30", "--limit-train", "2048", "--limit-test", "32", "--threads", "1", "--seed", "1", "--quiet",
                    "--resume", "--out", run.toString()), dir.resolve("log2"));
            assertTrue(second.waitFor(120, TimeUnit.SECONDS));
            String log2 = Files.readString(dir.resolve("log2"));
            assertEquals(2, second.exitValue(), log2);
            assertTrue(log2.contains("PID " + first.pid()), log2);
            // Another seed over it, even with --overwrite, is refused before anything is deleted.
            Cli.run("compress", "--model", "lenet5", "--data", "sample", "--seed", "5", "--overwrite", "--quiet", "--out",
                    run.toString()).refused("PID " + first.pid());
            assertTrue(Files.isRegularFile(run.resolve("config.json")) || first.isAlive());
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
