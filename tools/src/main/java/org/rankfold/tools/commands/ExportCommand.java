package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.datasets.safetensors.SafetensorsWriter;
import org.rankfold.engine.checkpoint.Checkpoint;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.checkpoint.Weights;
import org.rankfold.engine.export.BatchNormFolding;
import org.rankfold.engine.export.OnnxExporter;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.tools.UserError;
import org.rankfold.tools.output.OutputGuard;
import org.rankfold.tools.json.Json;
import org.rankfold.tools.options.OverwriteOption;
import org.rankfold.tools.options.JsonOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `rankfold export`: a checkpoint's model for use elsewhere. ONNX (opset 17, input "input" [batch, C, H, W],
 * output "logits") runs in ONNX Runtime and friends; safetensors and npz hold the PyTorch state dict
 * ("conv1.weight", "bn1.running_mean", "bn1.num_batches_tracked", ...) that an equivalent PyTorch module
 * loads with {@code load_state_dict}. {@code --fold-bn} folds every BatchNorm into its convolution first.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a checkpoint as ONNX, safetensors or npz.",
        footer = {"", "CHECKPOINT is a checkpoint directory or a run directory (its best/, else checkpoint/ is used).",
                "The safetensors and npz files use PyTorch's parameter names (a state_dict).",
                "--reference writes a seeded batch ('input') and the model's logits on it ('logits');",
                "name it STEM.ref.npz beside STEM.onnx for tools/interop/check_onnx.py.",
                "", "Examples (run from the repository, after ./rankfold compress, which writes runs/fashionnet-quick):", "  ./rankfold export runs/fashionnet-quick/checkpoints/full-finetune --format onnx --fold-bn --out runs/full-finetune.onnx",
                "  ./rankfold export runs/fashionnet-quick/checkpoints/baseline --format safetensors --out runs/fashionnet-baseline.safetensors"})
public final class ExportCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format {
        onnx, safetensors, npz
    }

    /** Images in the --reference batch. */
    private static final int REFERENCE_BATCH = 4;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "Checkpoint or run directory.")
    Path checkpoint;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "${COMPLETION-CANDIDATES}.")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (a new file, or with --overwrite an existing one).")
    Path out;

    @Option(names = "--fold-bn", description = "Fold each BatchNorm into the convolution before it (inference only).")
    boolean foldBn;

    @Option(names = "--reference", paramLabel = "REF.npz",
            description = "Also write a seeded input batch and the model's logits on it.")
    Path reference;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the --reference batch.")
    long seed;

    @Mixin
    OverwriteOption overwriteOption;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws IOException {
        checkWritable(out, "--out");
        if (reference != null) {
            checkWritable(reference, "--reference");
        }
        Path dir = EvalCommand.resolve(checkpoint);
        Checkpoint c = CheckpointReader.load(dir);
        Module model = foldBn ? BatchNormFolding.fold(c.model()) : c.model();
        InputShape in = c.input();
        Map<String, NpyArray> stateDict = Weights.stateDict(model, c.training().step());
        switch (format) {
            case onnx -> OnnxExporter.write(out, model, in.channels(), in.height(), in.width());
            case safetensors -> SafetensorsWriter.write(out, stateDict, Map.of("format", "pt", "producer", "rankfold",
                    "model", c.modelName()));
            case npz -> Npz.write(out, stateDict);
        }
        if (reference != null) {
            Npz.write(reference, referenceBatch(model, in, seed));
        }
        long bytes = Files.size(out);
        PrintWriter stdout = spec.commandLine().getOut();
        if (jsonOption.json()) {
            ObjectNode o = Json.object();
            o.put("checkpoint", dir.toString());
            o.put("model", c.modelName());
            o.put("format", format.name());
            o.put("fold_bn", foldBn);
            o.put("out", out.toString());
            o.put("bytes", bytes);
            o.put("tensors", stateDict.size());
            if (reference != null) {
                o.put("reference", reference.toString());
            } else {
                o.putNull("reference");
            }
            Json.print(stdout, o);
        } else {
            stdout.println("exported " + dir + " (" + c.modelName() + (foldBn ? ", BatchNorm folded" : "") + ") as " + format
                    + " to " + out + ": " + stateDict.size() + " tensors, " + bytes + " bytes");
            if (reference != null) {
                stdout.println("reference batch and logits written to " + reference);
            }
            stdout.flush();
        }
        return 0;
    }

    /** {@code REFERENCE_BATCH} uniform [-1, 1) images from {@code seed} and the model's evaluation-mode logits. */
    private static Map<String, NpyArray> referenceBatch(Module model, InputShape in, long seed) {
        int[] shape = {REFERENCE_BATCH, in.channels(), in.height(), in.width()};
        float[] x = new float[REFERENCE_BATCH * in.channels() * in.height() * in.width()];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        Tensor y;
        try (GradMode.Scope _ = GradMode.noGrad()) {
            y = model.forward(Tensor.fromArray(x.clone(), shape));
        } finally {
            model.train(wasTraining);
        }
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("input", NpyArray.ofFloats(shape, x));
        arrays.put("logits", NpyArray.ofFloats(y.shape(), y.data().clone()));
        return arrays;
    }

    private void checkWritable(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new UserError(option + " " + file + " is a directory; give a file name");
        }
        OutputGuard.checkFileTarget(file, overwriteOption.overwrite(), option);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError(option + ": directory " + parent + " does not exist");
        }
    }
}
