package org.rankfold.tools.options;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --epochs N}: training epochs, at least 1 (checked before a run directory is created). */
public final class EpochsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Integer epochs;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Training epochs, >= 1 (train: 10, or with --resume the saved value or more to extend; compress: the preset's).")
    void setEpochs(int n) {
        if (n < 1) {
            throw new ParameterException(mixee.commandLine(), "--epochs must be >= 1, got " + n);
        }
        epochs = n;
    }

    /** The epochs given, or null. */
    public Integer epochs() {
        return epochs;
    }
}
