package org.rankfold.engine.zoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.rankfold.engine.nn.Module;

/**
 * The registry of named architectures: {@code fashionnet}, {@code lenet5}, {@code vgg11}, {@code vgg16},
 * {@code resnet20}, {@code resnet32}, {@code resnet56}. Every model is built for a given
 * {@link InputShape} and initialized from {@code new SplittableRandom(seed)}, so the same name, shape and
 * seed give bit-identical weights.
 */
public final class ModelZoo {
    /** Builds a model for an input shape from a generator. */
    @FunctionalInterface
    public interface Factory {
        Module create(InputShape input, SplittableRandom rng);
    }

    private static final Map<String, Factory> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("fashionnet", FashionNet::create);
        MODELS.put("lenet5", LeNet5::create);
        MODELS.put("vgg11", Vgg::vgg11);
        MODELS.put("vgg16", Vgg::vgg16);
        MODELS.put("resnet20", (in, rng) -> ResNetCifar.create(3, in, rng));
        MODELS.put("resnet32", (in, rng) -> ResNetCifar.create(5, in, rng));
        MODELS.put("resnet56", (in, rng) -> ResNetCifar.create(9, in, rng));
    }

    private ModelZoo() {
    }

    /** The registered names, in a stable order. */
    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }

    /** True when {@code name} (case-insensitive) is registered. */
    public static boolean contains(String name) {
        return MODELS.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** A fresh model; IllegalArgumentException naming the known models when {@code name} is unknown. */
    public static Module create(String name, InputShape input, long seed) {
        Factory f = MODELS.get(name.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        }
        return f.create(input, new SplittableRandom(seed));
    }
}
