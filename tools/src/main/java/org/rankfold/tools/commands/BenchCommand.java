package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import org.rankfold.tools.UserError;
import org.rankfold.tools.bench.BenchConvCommand;
import org.rankfold.tools.bench.BenchGemmCommand;
import org.rankfold.tools.bench.BenchInferCommand;
import org.rankfold.tools.bench.BenchTrainCommand;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `rankfold bench`: kernel and step benchmarks. Each mode is a subcommand class in
 * {@code org.rankfold.tools.bench} ({@code gemm}, {@code conv}, and the step benchmarks {@code train},
 * {@code infer}). A mode that is not a subcommand lands
 * in {@link #mode} and gets a one-line answer with exit code 2.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Kernel and step benchmarks: GFLOP/s, images/s, %% of measured peak.",
        subcommands = {BenchGemmCommand.class, BenchConvCommand.class, BenchTrainCommand.class, BenchInferCommand.class},
        footer = {"", "Examples:", "  ./rankfold bench gemm --m 1024 --n 1024 --k 1024 --threads 1",
                "  ./rankfold bench conv --batch 128 --in-channels 32 --out-channels 64 --size 14 --kernel 3 --padding 1"})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "MODE", description = "gemm, conv, train, infer")
    String mode;

    @Override
    public Integer call() {
        if (mode == null) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
        throw new UserError("unknown benchmark '" + mode + "'; choose gemm, conv, train or infer (see 'rankfold bench --help')");
    }
}
