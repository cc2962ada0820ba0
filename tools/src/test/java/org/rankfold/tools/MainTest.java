package org.rankfold.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    /** Every command of the command line (README, Commands). */
    static final List<String> COMMANDS = List.of("compress", "train", "eval", "decompose", "vbmf", "ranks",
            "tucker", "inspect", "bench", "devices", "report", "export", "import");

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryCommand() {
        Result r = run("--help");
        assertEquals(0, r.code());
        for (String c : COMMANDS) {
            assertTrue(r.out().contains("  " + c + " ") || r.out().contains("  " + c + "\n"), "help lists " + c + ":\n" + r.out());
        }
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String c : COMMANDS) {
            Result r = run(c, "--help");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().contains("Usage: rankfold " + c), r.out());
            assertTrue(r.out().contains("Example"), c + " help has an example:\n" + r.out());
        }
    }

    @Test
    void unknownOptionIsBadUsageWithOneClearLine() {
        // with its required MATRIX.npy given, so that the unknown option is the only error
        Result r = run("vbmf", "matrix.npy", "--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--no-such-option"), r.err());
    }
}
