package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.checkpoint.Checkpoint;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.infer.PlanEvaluator;
import org.rankfold.engine.train.EvalResult;
import org.rankfold.tools.UserError;
import org.rankfold.tools.inspect.CheckpointInspector;
import org.rankfold.tools.train.ComputeSession;
import org.rankfold.tools.train.RunData;
import org.rankfold.tools.options.ThreadsOption;
import org.rankfold.tools.options.DeviceOption;
import org.rankfold.tools.options.JsonOption;
import org.rankfold.tools.options.DataOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `rankfold eval`: test loss and accuracy of a checkpoint, in evaluation mode. The data defaults to the
 * data the checkpoint was trained on (its saved settings), else to the default data.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on a test set.",
        footer = {"", "CHECKPOINT is a checkpoint directory or a run directory (its best/, else checkpoint/ is used).",
                "", "Examples (run from the repository, after ./rankfold compress, which writes runs/fashionnet-quick):", "  ./rankfold eval runs/fashionnet-quick/checkpoints/full-finetune --data sample"})
public final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "Checkpoint or run directory.")
    Path checkpoint;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "256", description = "Batch size.")
    int batch;

    @Option(names = "--limit-test", defaultValue = "0", paramLabel = "N", description = "Use only the first N test images (0: all).")
    int limitTest;

    @Mixin
    ThreadsOption threadsOption;

    @Mixin
    DeviceOption deviceOption;

    @Mixin
    JsonOption jsonOption;

    @Mixin
    DataOption dataOption;

    @Override
    public Integer call() throws IOException {
        if (batch < 1) {
            throw new UserError("--batch must be >= 1, got " + batch);
        }
        Path dir = resolve(checkpoint);
        PrintWriter stdout = spec.commandLine().getOut();
        try (ComputeSession _ = ComputeSession.open(deviceOption.device(), threadsOption.threads())) {
            Checkpoint c = CheckpointReader.load(dir);
            JsonNode cfg = c.config();
            String spec = dataOption.given() ? dataOption.data() : cfg != null && cfg.hasNonNull("data") ? cfg.get("data").asText() : "default";
            RunData rd = RunData.load(spec, 0, limitTest);
            if (!rd.inputShape().equals(c.input())) {
                throw new UserError("the model in " + dir + " takes " + describe(c.input()) + " but " + rd.split().summary()
                        + " gives " + describe(rd.inputShape()));
            }
            // A diverged run's checkpoint loads and evaluates, but its accuracy means nothing: say which tensor is broken.
            List<String> warnings = CheckpointInspector.nonFinite(c.model());
            PrintWriter stderr = this.spec.commandLine().getErr();
            for (String w : warnings) {
                stderr.println("warning: " + w + " (the model's outputs are not meaningful)");
            }
            stderr.flush();
            long t0 = System.nanoTime();
            EvalResult r;
            try (DataLoader test = rd.testLoader(batch)) {
                r = PlanEvaluator.evaluate(c.model(), test);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            if (jsonOption.json()) {
                ObjectNode o = MAPPER.createObjectNode();
                o.put("checkpoint", dir.toString());
                o.put("model", c.modelName());
                o.put("data", rd.split().origin());
                o.put("images", r.images());
                o.put("test_loss", r.loss());
                o.put("test_acc", r.accuracy());
                o.put("seconds", secs);
                o.put("images_per_s", r.images() / secs);
                warnings.forEach(o.putArray("warnings")::add);
                stdout.println(o.toString());
            } else {
                stdout.printf(Locale.ROOT, "%s (%s): test accuracy %.2f%%, loss %.4f on %d images of %s (%.1f s, %.0f images/s)%n",
                        dir, c.modelName(), 100 * r.accuracy(), r.loss(), r.images(), rd.split().origin(), secs, r.images() / secs);
            }
            stdout.flush();
        }
        return 0;
    }

    private static String describe(org.rankfold.engine.checkpoint.InputShape s) {
        return s.channels() + "x" + s.height() + "x" + s.width() + " images of " + s.classes() + " classes";
    }

    /** A checkpoint directory as given, else RUN/best, else RUN/checkpoint. */
    static Path resolve(Path p) {
        if (CheckpointReader.isCheckpoint(p)) {
            return p;
        }
        for (String inner : new String[] {"best", "checkpoint"}) {
            if (CheckpointReader.isCheckpoint(p.resolve(inner))) {
                return p.resolve(inner);
            }
        }
        if (!Files.exists(p)) {
            throw new UserError("no such checkpoint: " + p);
        }
        throw new UserError(p + " is not a checkpoint directory (no model.json and state.json) nor a run directory with best/ or checkpoint/");
    }
}
