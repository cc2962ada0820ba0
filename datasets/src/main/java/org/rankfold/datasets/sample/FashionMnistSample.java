package org.rankfold.datasets.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.rankfold.datasets.DataSplit;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.idx.IdxArray;
import org.rankfold.datasets.idx.IdxDatasets;
import org.rankfold.datasets.idx.IdxFormat;

/**
 * The Fashion-MNIST sample bundled in this module's resources: 6,000 training images (600 per class) and
 * 1,000 test images (100 per class) of the real Fashion-MNIST (MIT licence, Zalando Research), chosen by
 * {@link SampleMaker}'s seeded procedure and stored as gzip IDX files under
 * {@code org/rankfold/datasets/sample/}. It lets the main job and the tests run offline.
 */
public final class FashionMnistSample {
    /** Classpath folder of the sample files. */
    public static final String RESOURCE_DIR = "/org/rankfold/datasets/sample/";
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    public static final int TRAIN_PER_CLASS = 600;
    public static final int TEST_PER_CLASS = 100;

    private FashionMnistSample() {
    }

    /** Loads both splits from the classpath. */
    public static DataSplit load() {
        try {
            Dataset train = load("fashion-mnist-sample-train", TRAIN_IMAGES, TRAIN_LABELS);
            Dataset test = load("fashion-mnist-sample-test", TEST_IMAGES, TEST_LABELS);
            return new DataSplit(train, test, "fashion-mnist sample (bundled)");
        } catch (IOException e) {
            // The resources are part of this jar: failing to read them is a broken build, not bad user input.
            throw new UncheckedIOException("the bundled Fashion-MNIST sample cannot be read", e);
        }
    }

    private static Dataset load(String name, String images, String labels) throws IOException {
        return IdxDatasets.combine(name, resource(images), RESOURCE_DIR + images, resource(labels),
                RESOURCE_DIR + labels, IdxDatasets.FASHION_MNIST_CLASSES);
    }

    private static IdxArray resource(String file) throws IOException {
        try (InputStream in = FashionMnistSample.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new MalformedFileException("classpath:" + RESOURCE_DIR + file, -1, "a bundled sample file (missing from the build)");
            }
            return IdxFormat.parse(in.readAllBytes(), "classpath:" + RESOURCE_DIR + file);
        }
    }
}
