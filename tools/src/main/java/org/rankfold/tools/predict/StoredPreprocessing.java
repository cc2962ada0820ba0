package org.rankfold.tools.predict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.datasets.cifar.Cifar10Format;
import org.rankfold.datasets.idx.IdxDatasets;
import org.rankfold.datasets.loader.Normalization;
import org.rankfold.engine.checkpoint.Preprocessing;

/**
 * The normalization and class names {@code predict} applies: the ones the checkpoint stores, else (a
 * checkpoint written before they were recorded) those of the data its configuration names (fashion-mnist,
 * also for "default" and "sample", mnist, cifar10), else none (mean 0, std 1, class numbers); the last two
 * come with a note saying so.
 *
 * @param note null when the checkpoint stored them, else one line saying what was assumed
 */
public record StoredPreprocessing(Normalization normalization, List<String> classNames, String note) {

    public static StoredPreprocessing of(Path checkpoint, JsonNode config, int channels, int classes) throws IOException {
        Optional<Preprocessing> stored = Preprocessing.read(checkpoint);
        if (stored.isPresent()) {
            Preprocessing p = stored.get();
            if (p.mean().length != channels) {
                throw new org.rankfold.datasets.MalformedFileException(checkpoint.resolve("state.json").toString(), -1,
                        "field 'preprocessing': normalization for " + channels + " channels, found " + p.mean().length);
            }
            return new StoredPreprocessing(new Normalization(p.mean(), p.std()), names(p.classNames(), classes), null);
        }
        String data = config != null && config.hasNonNull("data") ? config.get("data").asText() : "";
        String kind = data.toLowerCase(Locale.ROOT);
        int colon = kind.indexOf(':');
        kind = colon > 0 ? kind.substring(0, colon) : kind;
        String old = checkpoint + " stores no input normalization or class names (written before they were recorded); ";
        if (channels == 1 && classes == 10 && (kind.equals("fashion-mnist") || kind.equals("default") || kind.equals("sample"))) {
            return new StoredPreprocessing(Normalization.FASHION_MNIST, IdxDatasets.FASHION_MNIST_CLASSES,
                    old + "using Fashion-MNIST's, as its data '" + data + "' suggests");
        }
        if (channels == 1 && classes == 10 && kind.equals("mnist")) {
            return new StoredPreprocessing(Normalization.MNIST, IdxDatasets.MNIST_CLASSES,
                    old + "using MNIST's, as its data '" + data + "' suggests");
        }
        if (channels == 3 && classes == 10 && kind.equals("cifar10")) {
            return new StoredPreprocessing(Normalization.CIFAR10, Cifar10Format.CLASSES,
                    old + "using CIFAR-10's, as its data '" + data + "' suggests");
        }
        return new StoredPreprocessing(Normalization.identity(channels), names(List.of(), classes),
                old + "inputs are not normalized and classes are numbered");
    }

    /** The stored names when they cover every class, else "0", "1", ... */
    private static List<String> names(List<String> stored, int classes) {
        if (stored.size() == classes) {
            return stored;
        }
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            numbers.add(Integer.toString(i));
        }
        return numbers;
    }
}
