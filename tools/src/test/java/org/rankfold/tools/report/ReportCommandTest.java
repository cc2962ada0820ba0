package org.rankfold.tools.report;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `rankfold report RUN`: prints the report's path; bad input is one line on stderr and exit code 2. */
class ReportCommandTest extends SeededTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
        void badInput(String fragment) {
            assertEquals(2, code, "exit code; stderr: " + err);
            assertEquals(1, err.strip().split("\n").length, "one line on stderr:\n" + err);
            assertTrue(err.contains(fragment), "stderr mentions '" + fragment + "':\n" + err);
            assertEquals("", out);
        }
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void buildsTheReportAndPrintsItsPath() throws Exception {
        SyntheticRun.write(dir, random(), false);
        Result r = run("report", dir.toString());
        assertEquals(0, r.code(), r.err());
        Path report = Path.of(r.out().strip());
        assertEquals(dir.toAbsolutePath().normalize().resolve("report.html"), report);
        assertTrue(Files.readString(report).contains("<svg"));
        Result again = run("report", dir.toString(), "--json");
        assertEquals(0, again.code(), again.err());
        assertEquals("{\"report\":\"" + report.toString().replace("\\", "\\\\") + "\"}", again.out().strip());
    }

    @Test
    void missingDirectoryIsBadInput() {
        run("report", dir.resolve("nope").toString()).badInput("no such run directory");
    }

    @Test
    void directoryWithoutConfigIsBadInput() {
        run("report", dir.toString()).badInput("has no config.json (compress)");
    }

    @Test
    void malformedMetricsNameFileAndLine() throws Exception {
        SyntheticRun.write(dir, random(), false);
        Files.writeString(dir.resolve("metrics.csv"), "phase,epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds\n"
                + "baseline,1,0.5,0.8,0.6,0.7,0.05,1.0\nbaseline,2,oops,0.8,0.6,0.7,0.05,1.0\n");
        run("report", dir.toString()).badInput("metrics.csv line 3");
    }

    @Test
    void malformedAuditLineIsBadInput() throws Exception {
        SyntheticRun.write(dir, random(), false);
        Files.writeString(dir.resolve("audit.jsonl"), "{\"layer\": \"a\"}\n{\"layer\": \n");
        run("report", dir.toString()).badInput("audit.jsonl line 2");
    }

    @Test
    void helpHasAnExample() {
        Result r = run("report", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Examples") && r.out().contains("./rankfold report runs/fashionnet-quick"), r.out());
    }
}
