package org.rankfold.tools.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code chromium} headless on a local file, time-boxed: a run that does not finish in
 * {@link #TIMEOUT_SECONDS} is killed with all its child processes and reported as a failure. Every run
 * gets a fresh profile directory, no network features, and Chromium's log on stderr (console messages
 * appear there as lines with {@code :CONSOLE}).
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final long TIMEOUT_SECONDS = 40;

    /** Output (stdout and stderr together) of one run. */
    record Run(int exitCode, String output) {
        /** Lines where the page wrote to the console (errors, CSP violations): there must be none. */
        List<String> consoleLines() {
            return output.lines().filter(l -> l.contains(":CONSOLE")).toList();
        }
    }

    private HeadlessChromium() {
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Renders {@code page} into {@code png} at {@code width x height}. */
    static Run screenshot(Path page, Path png, int width, int height, Path work) throws IOException, InterruptedException {
        return run(work, List.of("--screenshot=" + png, "--window-size=" + width + "," + height, page.toUri().toString()));
    }

    /** The DOM of {@code page} after loading, as Chromium serializes it (on stdout). */
    static Run dumpDom(Path page, Path work) throws IOException, InterruptedException {
        return run(work, List.of("--dump-dom", page.toUri().toString()));
    }

    private static Run run(Path work, List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "profile");
        Path log = Files.createTempFile(work, "chromium", ".log");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + cmd + "\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        // the browser may leave helpers behind (zygote, crashpad): end only those it started
        p.descendants().forEach(ProcessHandle::destroy);
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
