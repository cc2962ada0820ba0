package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.engine.checkpoint.Checkpoint;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.infer.InferencePlan;
import org.rankfold.tools.UserError;
import org.rankfold.tools.json.Json;
import org.rankfold.tools.predict.PredictInput;
import org.rankfold.tools.predict.StoredPreprocessing;
import org.rankfold.tools.train.CpuSession;
import org.rankfold.tools.options.ThreadsOption;
import org.rankfold.tools.options.JsonOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `rankfold predict CHECKPOINT INPUT...`: the top-k classes of images through the checkpoint's compiled
 * inference plan. Inputs are PNG/JPEG images (converted to the model's channels and size) or IDX/.npy
 * batches of the model's shape; pixels are normalized with the statistics stored in the checkpoint. Every
 * input is read and checked before any prediction is printed, so a bad file gives one error line and
 * exit code 2 without partial output.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify images with a checkpoint: PNG/JPEG files, or IDX/.npy batches.",
        footer = {"", "CHECKPOINT is a checkpoint directory or a run directory (its best/, else checkpoint/ is used).",
                "Images are converted to the model's channels (gray or RGB) and resized to its input size; a .npy batch of",
                "floats holds pixels on the [0, 1] scale, uint8 .npy and IDX batches hold 0-255.", "",
                "Examples (run from the repository, after ./rankfold compress, which writes runs/fashionnet-quick):",
                "  ./rankfold predict runs/fashionnet-quick/checkpoints/full-finetune datasets/src/main/resources/org/rankfold/datasets/sample/t10k-images-idx3-ubyte.gz --top 1 --json",
                "", "With your own PNG or JPEG images (not run by the tests):",
                "  ./rankfold predict runs/fashionnet-quick/checkpoints/full-finetune shoe.png shirt.jpg --top 3"})
public final class PredictCommand implements Callable<Integer> {
    /** Images per plan run. */
    private static final int BATCH = 256;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "Checkpoint or run directory.")
    Path checkpoint;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "INPUT", description = "PNG/JPEG images, IDX or .npy batches.")
    List<Path> inputs;

    @Option(names = "--top", defaultValue = "3", paramLabel = "K", description = "Classes shown per image.")
    int top;

    @Mixin
    ThreadsOption threadsOption;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws IOException {
        if (top < 1) {
            throw new UserError("--top must be >= 1, got " + top);
        }
        Path dir = EvalCommand.resolve(checkpoint);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Checkpoint c = CheckpointReader.load(dir);
        int ch = c.input().channels();
        int h = c.input().height();
        int w = c.input().width();
        StoredPreprocessing pre = StoredPreprocessing.of(dir, c.config(), ch, c.input().classes());
        List<PredictInput> read = new ArrayList<>();
        for (Path p : inputs) {
            read.add(PredictInput.read(p, ch, h, w));
        }
        if (pre.note() != null) {
            err.println("note: " + pre.note());
            err.flush();
        }
        int k = Math.min(top, c.input().classes());
        ObjectNode root = Json.object();
        root.put("checkpoint", dir.toString());
        root.put("model", c.modelName());
        root.put("normalized_with", pre.note() == null ? "checkpoint" : "fallback");
        ArrayNode predictions = root.putArray("predictions");
        try (CpuSession _ = CpuSession.open(threadsOption.threads())) {
            InferencePlan plan = InferencePlan.compile(c.model(), ch, h, w);
            int size = plan.imageSize();
            for (PredictInput in : read) {
                float[] px = in.pixels();
                for (int i = 0; i < in.count(); i++) {
                    pre.normalization().applyInPlace(px, i * size, ch, h * w);
                }
                for (int b0 = 0; b0 < in.count(); b0 += BATCH) {
                    int nb = Math.min(BATCH, in.count() - b0);
                    float[] logits = plan.run(px, b0 * size, nb);
                    for (int i = 0; i < nb; i++) {
                        String label = in.batch() ? in.file() + "[" + (b0 + i) + "]" : in.file().toString();
                        int[] best = topK(logits, i * plan.classes(), plan.classes(), k);
                        double[] prob = softmax(logits, i * plan.classes(), plan.classes());
                        if (jsonOption.json()) {
                            ObjectNode o = predictions.addObject();
                            o.put("input", in.file().toString());
                            if (in.batch()) {
                                o.put("index", b0 + i);
                            }
                            ArrayNode t = o.putArray("top");
                            for (int cls : best) {
                                t.addObject().put("class", cls).put("name", pre.classNames().get(cls)).put("probability", prob[cls]);
                            }
                        } else {
                            StringBuilder sb = new StringBuilder(label).append(':');
                            for (int r = 0; r < best.length; r++) {
                                sb.append(r == 0 ? " " : ", ").append(pre.classNames().get(best[r]))
                                        .append(String.format(Locale.ROOT, " %.2f%%", 100 * prob[best[r]]));
                            }
                            out.println(sb);
                        }
                    }
                }
            }
        }
        if (jsonOption.json()) {
            Json.print(out, root);
        }
        out.flush();
        return 0;
    }

    /** Indices of the k largest logits, largest first (ties: lower index first). */
    static int[] topK(float[] logits, int offset, int classes, int k) {
        Integer[] order = new Integer[classes];
        for (int i = 0; i < classes; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int cmp = Float.compare(logits[offset + b], logits[offset + a]);
            return cmp != 0 ? cmp : Integer.compare(a, b);
        });
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** Softmax of one row of logits, in double with the maximum subtracted. */
    static double[] softmax(float[] logits, int offset, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < classes; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double[] p = new double[classes];
        double sum = 0;
        for (int i = 0; i < classes; i++) {
            p[i] = Math.exp(logits[offset + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < classes; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
