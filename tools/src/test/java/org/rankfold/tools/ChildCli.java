package org.rankfold.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI in a child JVM, for tests that must kill a real process (SIGKILL) and resume its run, and what such
 * tests share: the command line of a run, the same run in this JVM, and the kill once the run has got far enough.
 */
public final class ChildCli {
    private ChildCli() {
    }

    /**
     * Starts {@link Main} with {@code args} in a child JVM with this JVM's flags (debugger and agent flags
     * dropped) and class path; stdout and stderr go to {@code log}.
     */
    public static Process start(List<String> args, Path log) throws IOException {
        return start(List.of(), args, log);
    }

    /** As {@link #start(List, Path)}, with {@code jvmFlags} (e.g. a smaller -Xmx) after this JVM's own flags. */
    public static Process start(List<String> jvmFlags, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xrunjdwp")) {
                cmd.add(a);
            }
        }
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The command line {@code settings --out OUT more...}. */
    public static List<String> args(String[] settings, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of(settings));
        a.add("--out");
        a.add(out.toString());
        a.addAll(List.of(more));
        return a;
    }

    /** Runs the CLI in this JVM and returns its stdout; fails (with stdout and stderr) unless it exits 0. */
    public static String inProcess(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, String.join(" ", args) + "\nstdout: " + out + "\nstderr: " + err);
        return out.toString();
    }

    /**
     * Waits until {@code ready} holds, at most {@code seconds}, then kills the child without warning (SIGKILL on
     * Unix). On a fast machine the child may have finished first; it must then have succeeded. Returns whether it
     * was killed.
     *
     * @param what       what {@code ready} waits for, for the failure message
     * @param pollMillis the pause between two looks; 0 spins, for a kill inside a short window
     */
    public static boolean killWhen(Process p, BooleanSupplier ready, int seconds, String what, long pollMillis, Path log)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!ready.getAsBoolean() && p.isAlive()) {
            assertTrue(System.nanoTime() < deadline, "no " + what + " within " + seconds + " s");
            if (pollMillis > 0) {
                Thread.sleep(pollMillis);
            } else {
                Thread.onSpinWait();
            }
        }
        boolean killed = p.isAlive();
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        if (!killed) {
            assertEquals(0, p.exitValue(), Files.readString(log));
        }
        return killed;
    }
}
