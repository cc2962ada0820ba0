package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.loader.DataLoader;

/**
 * How the model's inputs were prepared in training, so that a deployed checkpoint classifies new images the
 * same way: per-channel normalization {@code (x - mean[c]) / std[c]} of pixels on the [0, 1] scale, and the
 * class names in label order (Fashion-MNIST's ten, for example). Stored in state.json under
 * "preprocessing" (docs/file-formats.md); checkpoints written before it existed have none.
 */
public record Preprocessing(float[] mean, float[] std, List<String> classNames) {
    /** At most this many classes are read back (a hostile file cannot make us build huge lists). */
    static final int MAX_CLASSES = 100_000;
    /** At most this many normalization channels are read back. */
    static final int MAX_CHANNELS = 4096;

    public Preprocessing {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalization needs one mean and one std per channel, got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("normalization std must be positive and finite, got " + s);
            }
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) {
                throw new IllegalArgumentException("normalization mean must be finite, got " + m);
            }
        }
        mean = mean.clone();
        std = std.clone();
        classNames = List.copyOf(classNames);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** The training loader's normalization and its dataset's class names. */
    public static Preprocessing of(DataLoader train) {
        var n = train.options().normalization();
        return new Preprocessing(n.mean(), n.std(), train.dataset().classNames());
    }

    ObjectNode toJson() {
        ObjectNode o = CheckpointJson.object();
        ArrayNode m = o.putArray("mean");
        ArrayNode s = o.putArray("std");
        for (int c = 0; c < mean.length; c++) {
            m.add(mean[c]);
            s.add(std[c]);
        }
        ArrayNode names = o.putArray("class_names");
        classNames.forEach(names::add);
        return o;
    }

    /** The "preprocessing" object of a parsed state.json, if it has one. */
    static Optional<Preprocessing> fromState(JsonNode state, Path file) throws MalformedFileException {
        JsonNode p = state.get("preprocessing");
        if (p == null || p.isNull()) {
            return Optional.empty();
        }
        JsonNode mean = p.get("mean");
        JsonNode std = p.get("std");
        JsonNode names = p.get("class_names");
        if (mean == null || !mean.isArray() || std == null || !std.isArray() || names == null || !names.isArray()) {
            throw new MalformedFileException(file.toString(), -1,
                    "field 'preprocessing' needs arrays 'mean', 'std' and 'class_names'");
        }
        if (mean.size() > MAX_CHANNELS || names.size() > MAX_CLASSES) {
            throw new MalformedFileException(file.toString(), -1, "field 'preprocessing' is too large");
        }
        float[] m = new float[mean.size()];
        float[] s = new float[std.size()];
        for (int i = 0; i < m.length; i++) {
            if (!mean.get(i).isNumber()) {
                throw new MalformedFileException(file.toString(), -1, "field 'preprocessing.mean[" + i + "]' must be a number");
            }
            m[i] = (float) mean.get(i).asDouble();
        }
        for (int i = 0; i < s.length; i++) {
            if (!std.get(i).isNumber()) {
                throw new MalformedFileException(file.toString(), -1, "field 'preprocessing.std[" + i + "]' must be a number");
            }
            s[i] = (float) std.get(i).asDouble();
        }
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).isTextual()) {
                throw new MalformedFileException(file.toString(), -1, "field 'preprocessing.class_names[" + i + "]' must be a string");
            }
            classes.add(names.get(i).asText());
        }
        try {
            return Optional.of(new Preprocessing(m, s, classes));
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file.toString(), -1, "field 'preprocessing': " + e.getMessage());
        }
    }

    /** The preprocessing stored in checkpoint {@code dir}'s state.json, if any (only state.json is read). */
    public static Optional<Preprocessing> read(Path dir) throws IOException {
        Path stateFile = CheckpointReader.resolve(dir).resolve(CheckpointFiles.STATE);
        JsonNode state = CheckpointJson.read(stateFile, CheckpointJson.readBounded(stateFile, CheckpointJson.MAX_FILE_BYTES));
        return fromState(state, stateFile);
    }
}
