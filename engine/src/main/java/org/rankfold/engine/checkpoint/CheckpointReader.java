package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.safetensors.Safetensors;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.TrainingState;

/**
 * Loads a checkpoint directory written by {@link CheckpointWriter}. {@code state.json} is read first and
 * the SHA-256 of every file it lists is verified before that file is parsed; {@code model.json} rebuilds
 * the architecture; the weights must match it name by name, shape by shape. Every defect is a
 * {@link MalformedFileException} naming the file and the field or tensor.
 */
public final class CheckpointReader {
    private static final Set<String> KNOWN_FILES = Set.of(CheckpointFiles.MODEL, CheckpointFiles.WEIGHTS, CheckpointFiles.OPTIMIZER);

    private CheckpointReader() {
    }

    /**
     * The directory to read for {@code dir}: itself, or, when it is missing because a save was interrupted
     * between its two renames, the newest hidden ".old" sibling left by that save.
     */
    public static Path resolve(Path dir) throws IOException {
        Path found = resolveOrNull(dir);
        if (found == null) {
            throw new NoSuchFileException(dir.toAbsolutePath().normalize().toString(), null, "no checkpoint directory");
        }
        return found;
    }

    /** As {@link #resolve}, null when there is neither the directory nor an ".old" copy. */
    static Path resolveOrNull(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            return abs;
        }
        Path parent = abs.getParent();
        List<Path> olds = new ArrayList<>();
        if (parent != null && Files.isDirectory(parent)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, "." + abs.getFileName() + ".old-*")) {
                s.forEach(olds::add);
            }
        }
        Path best = null;
        FileTime bestTime = null;
        for (Path p : olds) {
            FileTime t = Files.getLastModifiedTime(p);
            if (best == null || t.compareTo(bestTime) > 0) {
                best = p;
                bestTime = t;
            }
        }
        return best;
    }

    /** True when {@code dir} looks like a checkpoint (holds a state.json and a model.json). */
    public static boolean isCheckpoint(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(CheckpointFiles.STATE))
                && Files.isRegularFile(dir.resolve(CheckpointFiles.MODEL));
    }

    /** Loads everything: model with weights, training state, optimizer tensors, configuration. */
    public static Checkpoint load(Path dir) throws IOException {
        Path d = resolve(dir);
        Path stateFile = d.resolve(CheckpointFiles.STATE);
        StateFile state = parseState(CheckpointJson.readBounded(stateFile, CheckpointJson.MAX_FILE_BYTES), stateFile);
        byte[] modelBytes = verified(d, CheckpointFiles.MODEL, state.files(), stateFile, CheckpointJson.MAX_FILE_BYTES);
        Path weightsFile = d.resolve(CheckpointFiles.WEIGHTS);
        byte[] weights = verified(d, CheckpointFiles.WEIGHTS, state.files(), stateFile, Integer.MAX_VALUE - 16);
        // Every parameter and buffer is an F32 tensor of weights.safetensors: the file's size bounds the model.
        ModelAndInput mi = parseModel(modelBytes, d.resolve(CheckpointFiles.MODEL), weights.length / 4);
        Weights.load(mi.model, Safetensors.parse(weights, weightsFile.toString()).tensors(), weightsFile);

        Map<String, NpyArray> optimizerTensors = Map.of();
        if (state.optimizerType() != null) {
            Path optFile = d.resolve(CheckpointFiles.OPTIMIZER);
            Safetensors.Contents c = Safetensors.parse(verified(d, CheckpointFiles.OPTIMIZER, state.files(), stateFile,
                    Integer.MAX_VALUE - 16), optFile.toString());
            String metaType = c.header().metadata().get(OptimizerState.TYPE);
            if (!state.optimizerType().equals(metaType)) {
                throw new MalformedFileException(optFile.toString(), -1, "metadata 'type' is " + metaType + ", state.json says "
                        + state.optimizerType());
            }
            optimizerTensors = c.tensors();
        }
        return new Checkpoint(mi.model, mi.name, mi.input, state.training(), state.optimizerType(), optimizerTensors,
                state.dataSeed(), state.config());
    }

    /** Only the architecture (fresh weights, bounded by the size of weights.safetensors, which is not read). */
    public static Checkpoint loadArchitecture(Path dir) throws IOException {
        Path d = resolve(dir);
        Path modelFile = d.resolve(CheckpointFiles.MODEL);
        Path weightsFile = d.resolve(CheckpointFiles.WEIGHTS);
        long budget = Files.isRegularFile(weightsFile, LinkOption.NOFOLLOW_LINKS) ? Files.size(weightsFile) / 4 : 0;
        ModelAndInput mi = parseModel(CheckpointJson.readBounded(modelFile, CheckpointJson.MAX_FILE_BYTES), modelFile, budget);
        return new Checkpoint(mi.model, mi.name, mi.input, TrainingState.initial(), null, Map.of(), 0, null);
    }

    /** What model.json describes: the rebuilt model (fresh weights), its zoo name or label, its input. */
    record ModelAndInput(Module model, String name, InputShape input) {
    }

    /**
     * What state.json says: the SHA-256 of each file ("files", validated names and digests), the training
     * state, the optimizer type (null when no optimizer state was saved), the data loader seed and the
     * run's configuration.
     */
    record StateFile(JsonNode files, TrainingState training, String optimizerType, long dataSeed, JsonNode config) {
    }

    /**
     * Parses model.json's bytes and rebuilds the model, after {@link ArchitectureBounds} has checked that it
     * holds at most {@code maxParameters} floats of parameters and buffers and that its activations for the
     * declared input stay bounded: nothing large is allocated for a hostile file.
     */
    static ModelAndInput parseModel(byte[] bytes, Path file, long maxParameters) throws MalformedFileException {
        return parseModel(bytes, file, maxParameters, 0);
    }

    /** As {@link #parseModel(byte[], Path, long)}, the fresh weights drawn from {@code seed}. */
    static ModelAndInput parseModel(byte[] bytes, Path file, long maxParameters, long seed) throws MalformedFileException {
        JsonNode json = CheckpointJson.read(file, bytes);
        checkFormat(json, CheckpointFiles.MODEL_FORMAT, file);
        String name = CheckpointJson.text(json, "model", file, "");
        JsonNode in = CheckpointJson.field(json, "input", file, "");
        InputShape input;
        try {
            input = new InputShape(CheckpointJson.smallInt(in, "channels", 1, file, "input."),
                    CheckpointJson.smallInt(in, "height", 1, file, "input."), CheckpointJson.smallInt(in, "width", 1, file, "input."),
                    CheckpointJson.smallInt(in, "classes", 2, file, "input."));
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file.toString(), -1, "field 'input': " + e.getMessage());
        }
        JsonNode arch = CheckpointJson.field(json, "architecture", file, "");
        ArchitectureBounds.check(arch, input.chw(), maxParameters, file);
        try {
            return new ModelAndInput(ModelJson.rebuild(arch, file, "architecture.", new java.util.SplittableRandom(seed)), name, input);
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file.toString(), -1, "field 'architecture': " + e.getMessage());
        }
    }

    /** Parses and validates state.json's bytes (no other file is read). */
    static StateFile parseState(byte[] bytes, Path file) throws MalformedFileException {
        JsonNode state = CheckpointJson.read(file, bytes);
        checkFormat(state, CheckpointFiles.STATE_FORMAT, file);
        JsonNode files = CheckpointJson.field(state, "files", file, "");
        if (!files.isObject()) {
            throw new MalformedFileException(file.toString(), -1, "field 'files' must be an object");
        }
        for (Iterator<String> it = files.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!KNOWN_FILES.contains(name)) {
                throw new MalformedFileException(file.toString(), -1, "field 'files." + name + "': not a checkpoint file ("
                        + String.join(", ", KNOWN_FILES) + ")");
            }
            String sum = CheckpointJson.text(files.get(name), "sha256", file, "files." + name + ".");
            if (!sum.matches("[0-9a-f]{64}")) {
                throw new MalformedFileException(file.toString(), -1, "field 'files." + name + ".sha256' must be 64 lowercase hex digits");
            }
        }
        for (String required : new String[] {CheckpointFiles.MODEL, CheckpointFiles.WEIGHTS}) {
            if (!files.has(required)) {
                throw new MalformedFileException(file.toString(), -1, "field 'files." + required + "' is missing");
            }
        }
        TrainingState training = training(state, file);
        String optimizerType = null;
        JsonNode opt = CheckpointJson.field(state, "optimizer", file, "");
        if (!opt.isObject()) {
            throw new MalformedFileException(file.toString(), -1, "field 'optimizer' must be an object");
        }
        if (opt.has("file")) {
            String name = CheckpointJson.text(opt, "file", file, "optimizer.");
            if (!name.equals(CheckpointFiles.OPTIMIZER)) {
                throw new MalformedFileException(file.toString(), -1, "field 'optimizer.file' must be " + CheckpointFiles.OPTIMIZER);
            }
            if (!files.has(name)) {
                throw new MalformedFileException(file.toString(), -1, "field 'files." + name + "' is missing");
            }
            optimizerType = CheckpointJson.text(opt, "type", file, "optimizer.");
        }
        JsonNode loader = CheckpointJson.field(state, "data_loader", file, "");
        long seed = loader.has("seed") ? CheckpointJson.integer(loader, "seed", Long.MIN_VALUE, Long.MAX_VALUE, file, "data_loader.") : 0;
        return new StateFile(files, training, optimizerType, seed, state.get("config"));
    }

    private static TrainingState training(JsonNode state, Path file) throws MalformedFileException {
        int epoch = CheckpointJson.smallInt(state, "epoch", 0, file, "");
        long step = CheckpointJson.integer(state, "step", 0, Long.MAX_VALUE, file, "");
        JsonNode h = CheckpointJson.field(state, "history", file, "");
        if (!h.isArray() || h.size() != epoch) {
            throw new MalformedFileException(file.toString(), -1, "field 'history' must be an array of one row per finished epoch ("
                    + epoch + ")");
        }
        List<EpochResult> rows = new ArrayList<>();
        for (int i = 0; i < h.size(); i++) {
            JsonNode r = h.get(i);
            String w = "history[" + i + "].";
            rows.add(new EpochResult(CheckpointJson.smallInt(r, "epoch", 1, file, w), CheckpointJson.number(r, "train_loss", file, w),
                    CheckpointJson.number(r, "train_acc", file, w), CheckpointJson.number(r, "test_loss", file, w),
                    CheckpointJson.number(r, "test_acc", file, w), CheckpointJson.number(r, "lr", file, w),
                    CheckpointJson.number(r, "seconds", file, w)));
        }
        return new TrainingState(epoch, step, rows);
    }

    private static void checkFormat(JsonNode n, String format, Path file) throws MalformedFileException {
        String f = CheckpointJson.text(n, "format", file, "");
        if (!f.equals(format)) {
            throw new MalformedFileException(file.toString(), -1, "field 'format' must be \"" + format + "\", got \"" + f + "\"");
        }
        long v = CheckpointJson.integer(n, "version", 0, Integer.MAX_VALUE, file, "");
        if (v != CheckpointFiles.VERSION) {
            throw new MalformedFileException(file.toString(), -1, "field 'version': this build reads version "
                    + CheckpointFiles.VERSION + ", got " + v);
        }
    }

    /** The bytes of {@code name}, after checking them against the SHA-256 recorded in state.json. */
    private static byte[] verified(Path dir, String name, JsonNode files, Path stateFile, long cap) throws IOException {
        JsonNode entry = files.get(name);
        if (entry == null) {
            throw new MalformedFileException(stateFile.toString(), -1, "field 'files." + name + "' is missing");
        }
        String expected = CheckpointJson.text(entry, "sha256", stateFile, "files." + name + ".");
        byte[] bytes = CheckpointJson.readBounded(dir.resolve(name), cap);
        String actual = Sha256.hex(bytes);
        if (!actual.equals(expected)) {
            throw new MalformedFileException(dir.resolve(name).toString(), -1, "checksum mismatch: SHA-256 is " + actual
                    + ", state.json records " + expected + " (the file was changed or damaged after it was saved)");
        }
        return bytes;
    }
}
