package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** `rankfold bench`: Kernel and step benchmarks: GFLOP/s, images/s, %% of measured peak. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Kernel and step benchmarks: GFLOP/s, images/s, %% of measured peak.",
        footer = {"", "Example:", "  ./rankfold bench gemm --m 1024 --n 1024 --k 1024 --threads 1"})
public final class BenchCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotLanded.because("bench", 3, "benchmarks");
    }
}
