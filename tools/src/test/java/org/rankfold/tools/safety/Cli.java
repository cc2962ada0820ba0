package org.rankfold.tools.safety;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI run in this JVM, with its exit code and output. */
record Cli(int code, String out, String err) {
    /** Small, fast training settings (a few seconds on one thread). */
    static final String[] TINY_TRAIN = {"--model", "lenet5", "--data", "sample", "--epochs", "1", "--batch", "32",
            "--limit-train", "64", "--limit-test", "32", "--threads", "1", "--quiet"};

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    static String[] train(String... more) {
        String[] a = new String[1 + TINY_TRAIN.length + more.length];
        a[0] = "train";
        System.arraycopy(TINY_TRAIN, 0, a, 1, TINY_TRAIN.length);
        System.arraycopy(more, 0, a, 1 + TINY_TRAIN.length, more.length);
        return a;
    }

    /** Asserts exit 2 with exactly one line on stderr, no stack trace, containing every one of {@code parts}. */
    Cli refused(String... parts) {
        assertEquals(2, code, "exit code; stderr: " + err + " stdout: " + out);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no trace: " + err);
        for (String p : parts) {
            assertTrue(err.contains(p), "'" + p + "' in: " + err);
        }
        return this;
    }

    Cli ok() {
        assertEquals(0, code, "stderr: " + err);
        return this;
    }
}
