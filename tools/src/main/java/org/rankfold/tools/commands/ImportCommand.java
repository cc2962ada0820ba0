package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyDtype;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.datasets.safetensors.Safetensors;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.checkpoint.StateDictImport;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.tools.UserError;
import org.rankfold.tools.json.Json;
import org.rankfold.tools.output.OutputGuard;
import org.rankfold.tools.output.RunLock;
import org.rankfold.tools.options.OverwriteOption;
import org.rankfold.tools.options.JsonOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `rankfold import`: a PyTorch state dict of a zoo model (safetensors or npz, PyTorch's parameter names, as
 * {@code torch.save(model.state_dict())} would hold them) becomes a Rankfold checkpoint directory, the inverse
 * of `rankfold export --format safetensors|npz`. Names, shapes and dtypes are checked strictly
 * ({@link StateDictImport}); {@code --reference} runs the imported model on a batch whose logits PyTorch
 * computed and fails unless they agree. The new checkpoint is an untrained-run state (epoch 0) whose step is
 * the file's BatchNorm {@code num_batches_tracked}, so exporting it again reproduces the file's tensors.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import PyTorch weights (safetensors or npz state dict) of a zoo model as a checkpoint.",
        footer = {"", "FILE holds a state_dict with PyTorch's names (conv1.weight, bn1.running_mean, bn1.num_batches_tracked,",
                "layer1.0.conv1.weight, ...). Layers stored as a factorized conv (X.a/g/b.weight) or a two-factor SVD",
                "(X.0/1.weight), as `rankfold export` writes compressed models, are rebuilt in that form.",
                "--channels and --classes default to what the file's first conv and last linear layer say; --size to",
                "28 for fashionnet and lenet5, 32 otherwise.",
                "--reference REF.npz ('input' N x C x H x W, 'logits' N x classes, e.g. from tools/interop/torch_to_rankfold.py)",
                "checks the imported model's logits: max |diff| must be <= 1e-4 x max |logit|.",
                "", "Example (after the second example of 'rankfold export --help'):",
                "  ./rankfold import --model fashionnet runs/fashionnet-baseline.safetensors --out runs/imported"})
public final class ImportCommand implements Callable<Integer> {
    /** Relative tolerance of --reference: float32 sums in another order, as the other interop checks. */
    static final double REFERENCE_REL = 1e-4;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A .safetensors or .npz state dict.")
    Path file;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Zoo model: ${COMPLETION-CANDIDATES}.",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--channels", paramLabel = "C", description = "Input channels (default: from the file).")
    Integer channels;

    @Option(names = "--size", paramLabel = "S", description = "Input height and width (default: 28 for fashionnet/lenet5, else 32).")
    Integer size;

    @Option(names = "--classes", paramLabel = "K", description = "Number of classes (default: from the file).")
    Integer classes;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Checkpoint directory to write: new or empty, or with --overwrite a checkpoint rankfold wrote.")
    Path out;

    @Option(names = "--reference", paramLabel = "REF.npz", description = "Check the logits on REF's 'input' against its 'logits'.")
    Path reference;

    /** The zoo's names, for the help text. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ModelZoo.names().iterator();
        }
    }

    @Mixin
    OverwriteOption overwriteOption;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws IOException {
        String name = model.toLowerCase(Locale.ROOT);
        if (!ModelZoo.names().contains(name)) {
            throw new UserError("unknown model '" + model + "'; known: " + String.join(", ", ModelZoo.names()));
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError("no such file: " + file);
        }
        OutputGuard.checkCheckpointTarget(out, overwriteOption.overwrite(), "--out");
        try (RunLock _ = OutputGuard.lockParentRun(out, "import")) {
            return importInto(name);
        }
    }

    private Integer importInto(String name) throws IOException {
        String format = file.getFileName().toString().endsWith(".npz") ? "npz" : "safetensors";
        Map<String, NpyArray> tensors = format.equals("npz") ? Npz.read(file) : Safetensors.read(file).tensors();
        InputShape input = input(name, tensors);
        StateDictImport.Imported imported = StateDictImport.load(name, input, tensors, file.toString());
        double[] check = reference == null ? null : compare(imported.model(), input, reference);

        ObjectNode config = Json.object();
        config.put("command", "import");
        config.put("source", file.toAbsolutePath().normalize().toString());
        config.put("source_format", format);
        CheckpointWriter.save(out, imported.model(), name, input, new TrainingState(0, imported.batchesTracked(), List.of()),
                null, null, config);

        PrintWriter stdout = spec.commandLine().getOut();
        if (jsonOption.json()) {
            ObjectNode o = Json.object();
            o.put("file", file.toString());
            o.put("format", format);
            o.put("model", name);
            o.set("input", Json.ints(input.channels(), input.height(), input.width()));
            o.put("classes", input.classes());
            o.put("tensors", tensors.size());
            o.put("parameters", imported.model().parameterCount());
            o.put("batches_tracked", imported.batchesTracked());
            o.put("out", out.toString());
            if (check == null) {
                o.putNull("reference");
            } else {
                ObjectNode r = o.putObject("reference");
                r.put("file", reference.toString());
                r.put("batch", (int) check[2]);
                Json.number(r, "max_abs_diff", check[0]);
                Json.number(r, "max_abs_logit", check[1]);
            }
            Json.print(stdout, o);
        } else {
            stdout.printf(Locale.ROOT, "imported %s (%s, %d tensors) as %s for %dx%dx%d inputs, %d classes: %,d parameters -> %s%n",
                    file, format, tensors.size(), name, input.channels(), input.height(), input.width(), input.classes(),
                    imported.model().parameterCount(), out);
            if (check != null) {
                stdout.printf(Locale.ROOT, "reference %s: max |logit diff| %.3g over %d images (max |logit| %.3g): ok%n",
                        reference, check[0], (int) check[2], check[1]);
            }
            stdout.flush();
        }
        return 0;
    }

    private InputShape input(String name, Map<String, NpyArray> tensors) {
        int[] implied = StateDictImport.channelsAndClasses(name, tensors);
        int c = channels != null ? channels : implied[0];
        int k = classes != null ? classes : implied[1];
        if (c < 1) {
            throw new UserError(file + ": cannot tell the input channels from the file (no first convolution weight); give --channels");
        }
        if (k < 2) {
            throw new UserError(file + ": cannot tell the number of classes from the file (no last linear weight); give --classes");
        }
        int s = size != null ? size : name.equals("fashionnet") || name.equals("lenet5") ? 28 : 32;
        try {
            return new InputShape(c, s, s, k);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** {max |logit diff|, max |logit|, batch} of the model on REF's input; fails beyond the tolerance. */
    private static double[] compare(Module model, InputShape in, Path ref) throws IOException {
        Map<String, NpyArray> arrays = Npz.read(ref);
        NpyArray x = arrays.get("input");
        NpyArray y = arrays.get("logits");
        if (x == null || y == null || x.dtype() != NpyDtype.FLOAT32 || y.dtype() != NpyDtype.FLOAT32 || x.rank() != 4
                || x.dim(1) != in.channels() || x.dim(2) != in.height() || x.dim(3) != in.width() || x.dim(0) < 1
                || y.rank() != 2 || y.dim(0) != x.dim(0) || y.dim(1) != in.classes()) {
            throw new MalformedFileException(ref.toString(), -1, "expected float32 arrays 'input' (N, " + in.channels() + ", "
                    + in.height() + ", " + in.width() + ") and 'logits' (N, " + in.classes() + "), got "
                    + (x == null ? "no input" : x.dtype() + " " + Arrays.toString(x.shape())) + " and "
                    + (y == null ? "no logits" : y.dtype() + " " + Arrays.toString(y.shape())));
        }
        model.eval();
        Tensor got;
        try (GradMode.Scope _ = GradMode.noGrad()) {
            got = model.forward(Tensor.fromArray(x.asFloats(), x.shape()));
        }
        float[] expected = y.asFloats();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs((double) got.data()[i] - expected[i]));
            scale = Math.max(scale, Math.abs((double) expected[i]));
        }
        if (!(diff <= REFERENCE_REL * scale)) {
            throw new UserError(String.format(Locale.ROOT, "the imported model's logits differ from %s: max |diff| %.3g > %.1g x "
                    + "max |logit| %.3g", ref, diff, REFERENCE_REL, scale));
        }
        return new double[] {diff, scale, x.dim(0)};
    }
}
