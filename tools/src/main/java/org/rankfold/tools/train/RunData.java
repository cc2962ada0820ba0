package org.rankfold.tools.train;

import java.io.IOException;

import org.rankfold.datasets.DataResolver;
import org.rankfold.datasets.DataSplit;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.loader.Augmentation;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.datasets.loader.LoaderOptions;
import org.rankfold.datasets.loader.Normalization;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.tools.UserError;

/**
 * The data of a train or eval command: the resolved split (optionally cut to the first N images of each
 * part, for quick runs), the per-channel normalization and augmentation that go with the data set
 * (CIFAR-10: its mean/std, pad-4 random crop and horizontal flip; MNIST: its mean/std; Fashion-MNIST and
 * anything else with one channel: Fashion-MNIST's mean/std, no augmentation; {@code npz:FILE} and {@code images:DIR}:
 * the mean/std measured on their training images), and the loaders.
 */
public record RunData(DataSplit split, String spec, Normalization normalization, Augmentation augmentation) {

    /** Loads {@code spec} (see {@link DataResolver}); {@code limitTrain}/{@code limitTest} of 0 keep everything. */
    /**
     * The {@code --data} value that reads a recorded data set again ({@code data.dataset} of a compress run's
     * config.json: "fashion-mnist sample (bundled)", or "KIND from PLACE"); null when the description names none.
     */
    public static String specOf(String origin) {
        if (origin.startsWith("fashion-mnist sample")) {
            return "sample";
        }
        int from = origin.indexOf(" from ");
        return from > 0 ? origin.substring(0, from) + ":" + origin.substring(from + " from ".length()) : null;
    }

    public static RunData load(String spec, int limitTrain, int limitTest) throws IOException {
        if (limitTrain < 0 || limitTest < 0) {
            throw new UserError("--limit-train and --limit-test must be >= 0 (0 = all images)");
        }
        DataSplit s = DataResolver.standard().load(spec);
        Dataset train = limitTrain > 0 && limitTrain < s.train().size() ? s.train().head(limitTrain) : s.train();
        Dataset test = limitTest > 0 && limitTest < s.test().size() ? s.test().head(limitTest) : s.test();
        String origin = s.origin() + (train != s.train() || test != s.test() ? ", cut by --limit-train/--limit-test" : "");
        DataSplit cut = new DataSplit(train, test, origin);
        if (s.origin().startsWith("cifar10")) {
            return new RunData(cut, spec, Normalization.CIFAR10, Augmentation.CIFAR);
        }
        if (s.origin().startsWith("mnist")) {
            return new RunData(cut, spec, Normalization.MNIST, Augmentation.NONE);
        }
        if (s.origin().startsWith("npz ") || s.origin().startsWith("images ")) {
            return new RunData(cut, spec, measured(train), Augmentation.NONE);
        }
        if (train.channels() != 1) {
            return new RunData(cut, spec, Normalization.identity(train.channels()), Augmentation.NONE);
        }
        return new RunData(cut, spec, Normalization.FASHION_MNIST, Augmentation.NONE);
    }

    /**
     * Per-channel mean and standard deviation of the training images (on the [0, 1] scale), for the user's own
     * data: stored with each checkpoint's preprocessing, so predict normalizes new images the same way.
     */
    static Normalization measured(Dataset train) {
        int c = train.channels();
        int plane = train.height() * train.width();
        double[] sum = new double[c];
        double[] sq = new double[c];
        float[] img = new float[train.imageSize()];
        for (int i = 0; i < train.size(); i++) {
            train.copyImage(i, img, 0);
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < plane; p++) {
                    double v = img[ch * plane + p];
                    sum[ch] += v;
                    sq[ch] += v * v;
                }
            }
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        double n = (double) train.size() * plane;
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            mean[ch] = (float) m;
            double var = Math.max(0, sq[ch] / n - m * m);
            std[ch] = var > 1e-12 ? (float) Math.sqrt(var) : 1f; // a constant channel is only centred
        }
        return new Normalization(mean, std);
    }

    public InputShape inputShape() {
        Dataset t = split.train();
        return new InputShape(t.channels(), t.height(), t.width(), t.classCount());
    }

    /** Shuffled, augmented, prefetching loader over the training part. */
    public DataLoader trainLoader(int batch, long seed) {
        return new DataLoader(split.train(), LoaderOptions.training(batch, seed, normalization).withAugmentation(augmentation));
    }

    /** File-order loader over the test part. */
    public DataLoader testLoader(int batch) {
        return new DataLoader(split.test(), LoaderOptions.evaluation(batch, normalization));
    }
}
