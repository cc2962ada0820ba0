package org.rankfold.tools.options;

import picocli.CommandLine.Option;

/** {@code --overwrite}: replace what --out holds, only when rankfold wrote it (a run or checkpoint of ours). */
public final class OverwriteOption {
    @Option(names = "--overwrite", description = "Replace what --out already holds (only a run, checkpoint or file rankfold wrote).")
    boolean overwrite;

    public boolean overwrite() {
        return overwrite;
    }
}
