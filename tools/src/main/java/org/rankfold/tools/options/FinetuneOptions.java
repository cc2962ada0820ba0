package org.rankfold.tools.options;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --finetune-epochs N} and {@code --finetune-lr LR}: fine-tuning after decomposition. {@code --finetune N},
 * the old spelling on decompose, still works and is noted as deprecated.
 */
public final class FinetuneOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Integer epochs;
    private Double lr;

    @Option(names = {"--finetune-epochs", "--finetune"}, paramLabel = "N",
            description = "Fine-tuning epochs after decomposition (compress: the preset's; decompose: 0, none). --finetune is the old spelling.")
    void setEpochs(int n) {
        if (n < 0) {
            throw new ParameterException(mixee.commandLine(), "--finetune-epochs must be >= 0, got " + n);
        }
        epochs = n;
    }

    @Option(names = "--finetune-lr", paramLabel = "LR",
            description = "Initial fine-tuning learning rate, cosine-annealed to 0 (compress: the preset's; decompose: 0.01).")
    void setLr(double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ParameterException(mixee.commandLine(), "--finetune-lr must be a finite number > 0, got " + v);
        }
        lr = v;
    }

    /** The epochs given, or null. */
    public Integer epochs() {
        return epochs;
    }

    /** The learning rate given, or null. */
    public Double lr() {
        return lr;
    }
}
