package org.rankfold.tools.options;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --threads T}: compute threads. 0 (the default) takes {@code -Drankfold.threads} or every core; more
 * threads than cores are allowed (for experiments) with a warning, since they only add switching.
 */
public final class ThreadsOption {
    /** The largest count accepted, whatever the machine. */
    public static final int MAX = 1024;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private int threads;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "0",
            description = "Compute threads, 1 to the number of cores (0: -Drankfold.threads or all cores).")
    void setThreads(int t) {
        if (t < 0 || t > MAX) {
            throw new ParameterException(mixee.commandLine(), "--threads must be between 1 and " + MAX
                    + " (0 for the default), got " + t);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (t > cores) {
            mixee.commandLine().getErr().println(Prefix.of(mixee) + ": warning: --threads " + t + " is more than the "
                    + cores + " available cores; the extra threads only take turns");
        }
        threads = t;
    }

    public int threads() {
        return threads;
    }
}
