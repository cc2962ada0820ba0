package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** `rankfold compress`: The whole method: baseline training, over-parameterized training with orthogonal regularization, fold, EVBMF ranks, Tucker-2, fine-tuning, evaluation, ablation, audit and report. */
@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "The whole method: baseline training, over-parameterized training with orthogonal regularization, fold, EVBMF ranks, Tucker-2, fine-tuning, evaluation, ablation, audit and report.",
        footer = {"", "Example:", "  ./rankfold compress --preset quick --out runs/demo"})
public final class CompressCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotLanded.because("compress", 6, "the end-to-end compression method");
    }
}
