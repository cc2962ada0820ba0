package org.rankfold.tools.options;

import picocli.CommandLine.Option;

/** {@code --quiet}: no progress output, only the result. */
public final class QuietOption {
    @Option(names = "--quiet", description = "No progress output; only the result.")
    boolean quiet;

    public boolean quiet() {
        return quiet;
    }
}
