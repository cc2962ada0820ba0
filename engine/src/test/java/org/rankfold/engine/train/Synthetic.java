package org.rankfold.engine.train;

import java.util.List;
import java.util.SplittableRandom;

import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.datasets.loader.LoaderOptions;
import org.rankfold.datasets.loader.Normalization;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.GlobalAvgPool;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.ops.ConvSpec;

/**
 * A tiny learnable task for trainer tests: 1x8x8 images of 3 classes, class k has a bright 3x3 patch in
 * position k of the top row plus uniform noise; and a small CNN with BN, a factorized conv and pooling.
 */
public final class Synthetic {
    public static final int SIZE = 8;
    public static final int CLASSES = 3;

    private Synthetic() {
    }

    public static Dataset dataset(String name, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] px = new float[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(CLASSES);
            labels[i] = k;
            for (int p = 0; p < SIZE * SIZE; p++) {
                px[i * SIZE * SIZE + p] = (float) (0.3 * rng.nextDouble());
            }
            for (int y = 1; y < 4; y++) {
                for (int x = 0; x < 3; x++) {
                    px[i * SIZE * SIZE + y * SIZE + k * 3 + x] += 0.7f;
                }
            }
        }
        return Dataset.ofFloats(name, 1, SIZE, SIZE, px, labels, List.of("left", "middle", "right"));
    }

    public static DataLoader trainLoader(Dataset d, int batch, long seed) {
        return new DataLoader(d, LoaderOptions.training(batch, seed, Normalization.identity(1)));
    }

    public static DataLoader testLoader(Dataset d, int batch) {
        return new DataLoader(d, LoaderOptions.evaluation(batch, Normalization.identity(1)));
    }

    /** conv3x3 1->4, BN, ReLU, factorized conv 4->6 (ranks 3, 5), BN, ReLU, maxpool 2, GAP, flatten, linear 6->3. */
    public static Sequential model(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential()
                .add("conv1", new Conv2d(1, 4, 3, 1, 1, false, rng))
                .add("bn1", new BatchNorm2d(4))
                .add("relu1", new ReLU())
                .add("conv2", new FactorizedConv2d(4, 6, ConvSpec.square(3, 1, 1, 1), 3, 5, true, rng))
                .add("bn2", new BatchNorm2d(6))
                .add("relu2", new ReLU())
                .add("pool", new MaxPool2d(2, 2, 0))
                .add("gap", new GlobalAvgPool())
                .add("flatten", new Flatten())
                .add("fc", new Linear(6, CLASSES, true, rng));
    }
}
