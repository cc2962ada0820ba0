package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** `rankfold tucker`: Tucker-2 decomposition (HOSVD init, HOOI) of a 4-D kernel at given ranks. */
@Command(name = "tucker", mixinStandardHelpOptions = true,
        description = "Tucker-2 decomposition (HOSVD init, HOOI) of a 4-D kernel at given ranks.",
        footer = {"", "Example:", "  ./rankfold tucker kernel.npy --ranks 10,9 --out factors.npz"})
public final class TuckerCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotLanded.because("tucker", 5, "Tucker-2");
    }
}
