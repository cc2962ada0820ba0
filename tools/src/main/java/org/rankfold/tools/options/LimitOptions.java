package org.rankfold.tools.options;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --limit-train N}, {@code --limit-test N}: use only the first N images of each part (0: all), for quick runs. */
public final class LimitOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Integer train;
    private Integer test;

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N training images (0: all; compress: the preset's).")
    void setTrain(int n) {
        train = check("--limit-train", n);
    }

    @Option(names = "--limit-test", paramLabel = "N", description = "Use only the first N test images (0: all; compress: the preset's).")
    void setTest(int n) {
        test = check("--limit-test", n);
    }

    private int check(String name, int n) {
        if (n < 0) {
            throw new ParameterException(mixee.commandLine(), name + " must be >= 0 (0: all images), got " + n);
        }
        return n;
    }

    /** The --limit-train value, or null when not given. */
    public Integer train() {
        return train;
    }

    /** The --limit-test value, or null when not given. */
    public Integer test() {
        return test;
    }

    public int trainOr(int fallback) {
        return train == null ? fallback : train;
    }

    public int testOr(int fallback) {
        return test == null ? fallback : test;
    }
}
