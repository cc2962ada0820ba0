package org.rankfold.tools.bench;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `rankfold bench gemm|conv` on tiny shapes: exit codes, output fields, bad input. */
class BenchCommandTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void gemmPrintsGflopsAsJson() {
        Result r = run("bench", "gemm", "--m", "7", "--n", "33", "--k", "5", "--variant", "tn", "--threads", "2",
                "--runs", "1", "--warmup", "0", "--no-peak", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"benchmark\": \"gemm\""), r.out());
        assertTrue(r.out().contains("\"variant\": \"TN\"") && r.out().contains("\"gflops\": "), r.out());
    }

    @Test
    void convPrintsForwardAndBackward() {
        Result r = run("bench", "conv", "--batch", "2", "--in-channels", "3", "--out-channels", "4", "--size", "6",
                "--kernel", "3", "--padding", "1", "--threads", "1", "--runs", "1", "--warmup", "0", "--no-peak");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("forward:") && r.out().contains("backward:"), r.out());
        Result pointwise = run("bench", "conv", "--batch", "2", "--in-channels", "3", "--out-channels", "4",
                "--size", "5", "--kernel", "1", "--padding", "0", "--runs", "1", "--warmup", "0", "--no-peak", "--json");
        assertEquals(0, pointwise.code(), pointwise.err());
        assertTrue(pointwise.out().contains("\"pointwise\": true"), pointwise.out());
    }

    @Test
    void badInputIsExitCodeTwoWithOneLine() {
        Result r = run("bench", "gemm", "--m", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--m"), r.err());
        assertEquals(2, run("bench", "gemm", "--variant", "XY").code());
        assertEquals(2, run("bench", "conv", "--size", "2", "--kernel", "5", "--padding", "0").code());
        Result train = run("bench", "train", "--model", "alexnet");
        assertEquals(2, train.code());
        assertTrue(train.err().contains("resnet20"), train.err());
        assertEquals(2, run("bench", "nonsense").code());
    }
}
