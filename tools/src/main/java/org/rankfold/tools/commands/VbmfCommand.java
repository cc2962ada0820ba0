package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** `rankfold vbmf`: EVBMF of one matrix: rank, sigma2, threshold, singular values and shrunk singular values. */
@Command(name = "vbmf", mixinStandardHelpOptions = true,
        description = "EVBMF of one matrix: rank, sigma2, threshold, singular values and shrunk singular values.",
        footer = {"", "Example:", "  ./rankfold vbmf matrix.npy --json"})
public final class VbmfCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotLanded.because("vbmf", 5, "EVBMF rank estimation");
    }
}
