package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.tools.Main;
import org.rankfold.tools.json.Json;
import org.rankfold.tools.train.CpuSession;
import org.rankfold.tools.verify.Check;
import org.rankfold.tools.verify.RunVerifier;

import org.rankfold.tools.options.ThreadsOption;
import org.rankfold.tools.options.JsonOption;
import org.rankfold.tools.options.DataOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `rankfold verify RUN`: whether a run's records hold (see {@link RunVerifier}): one line per check with ok,
 * FAILED or skipped, then the verdict. Exit 0 when every check holds, 2 when one fails (or the directory is
 * none that verify knows).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a run (compress or train) or a checkpoint: SHA-256 of every checkpoint file, checkpoint paths inside the run, "
                + "EVBMF ranks and thresholds derived again from audit.jsonl, params and MACs counted again from model.json, "
                + "the models evaluated again against the recorded accuracies, and the report built from these files.",
        footer = {"", "Exit code: 0 when every check holds, 2 when one fails.", "", "Examples (after ./rankfold compress, which writes runs/fashionnet-quick):",
            "  ./rankfold verify runs/fashionnet-quick",
            "  ./rankfold verify runs/fashionnet-quick/checkpoints/full-finetune --json"})
public final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "A run directory of compress or train, or a checkpoint directory.")
    Path run;

    @Mixin
    ThreadsOption threadsOption;

    @Mixin
    JsonOption jsonOption;

    @Mixin
    DataOption dataOption;

    @Override
    public Integer call() throws IOException {
        RunVerifier v;
        try (CpuSession _ = CpuSession.open(threadsOption.threads())) {
            v = RunVerifier.verify(run, dataOption.givenOrNull());
        }
        PrintWriter o = spec.commandLine().getOut();
        if (jsonOption.json()) {
            ObjectNode j = Json.object();
            j.put("run", v.root().toString());
            j.put("kind", v.kind());
            ArrayNode checks = j.putArray("checks");
            for (Check c : v.checks()) {
                ObjectNode n = checks.addObject();
                n.put("name", c.name());
                n.put("status", c.status().label());
                n.put("detail", c.detail());
                ArrayNode p = n.putArray("problems");
                c.problems().forEach(p::add);
            }
            j.put("verdict", v.holds() ? "ok" : "FAILED");
            Json.print(o, j);
        } else {
            o.println("verifying " + v.root() + " (" + v.kind() + ")");
            for (Check c : v.checks()) {
                o.println(String.format(Locale.ROOT, "%-7s %-8s %s", c.status().label(), c.name(), c.detail()));
            }
            o.println(v.holds() ? "verdict: ok (every check holds)"
                    : "verdict: FAILED (" + String.join(", ", v.failed()) + ")");
            o.flush();
        }
        return v.holds() ? Main.EXIT_OK : Main.EXIT_BAD_INPUT;
    }
}
