package org.rankfold.tools;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real {@code ./rankfold} launcher (its JVM flags, JIT directives file and stderr filter), run on this
 * build's class path through {@code RANKFOLD_CLASSPATH} so it does not rebuild: stderr holds nothing but the
 * program's own messages.
 */
class LauncherTest {

    /** The repository root: the folder above this module holding the launcher. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("rankfold"))) {
            p = p.getParent();
        }
        assertTrue(p != null, "the launcher above " + Path.of("").toAbsolutePath());
        return p;
    }

    record Run(int code, String out, String err) {
    }

    static Run launch(Path cwd, Path logs, String... args) throws IOException, InterruptedException {
        return launch(cwd, logs, Map.of(), args);
    }

    /** The launcher with {@code env} changes: an empty value removes the variable. */
    static Run launch(Path cwd, Path logs, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path root = root();
        String[] cmd = new String[args.length + 1];
        cmd[0] = root.resolve("rankfold").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("RANKFOLD_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("RANKFOLD_HEAP", "1g");
        env.forEach((k, v) -> {
            if (v.isEmpty()) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Path out = logs.resolve("stdout");
        Path err = logs.resolve("stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher finished");
        // The stderr filter runs in its own process; the file is complete once it has closed it too.
        Thread.sleep(200);
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsNothingOnStderr(@TempDir Path tmp) throws Exception {
        Run r = launch(tmp, tmp, "--help");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "no JVM chatter (e.g. 'compiler directives added') on stderr");
        assertTrue(r.out().startsWith("Usage: rankfold"), r.out());
    }

    @Test
    void anErrorIsTheProgramsOneLineOnly(@TempDir Path tmp) throws Exception {
        Run r = launch(tmp, tmp, "trian");
        assertEquals(2, r.code());
        assertEquals("rankfold: unknown command 'trian'; did you mean 'train'? (see 'rankfold --help')" + System.lineSeparator(),
                r.err());
        assertEquals("", r.out());
        assertTrue(new File(root().toFile(), "scripts/jit-directives.json").isFile(), "the launcher reads the directives");
    }

    @Test
    void openClRunsWithTheJvmsSignalHandlersChained(@TempDir Path tmp) throws Exception {
        // The test JVM's own LD_PRELOAD is removed: the launcher must add libjsig.so itself.
        Run r = launch(tmp, tmp, Map.of("LD_PRELOAD", ""), "devices");
        Assumptions.assumeTrue(r.code() == 0 && r.out().contains("Device 0"), () -> "no OpenCL device: " + r.out() + r.err());
        assertFalse(r.err().contains("libjsig"), "the launcher preloads the signal-chaining library: " + r.err());
    }
}
