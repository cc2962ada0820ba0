package org.rankfold.tools.options;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code --resume [RUN]}: continue the run in RUN, or in {@code --out} when RUN is left out; the same form for
 * train and compress (train's {@code --resume RUN} and compress's bare {@code --resume} both still work).
 */
public final class ResumeOption {
    @Option(names = "--resume", paramLabel = "RUN", arity = "0..1", fallbackValue = "",
            description = "Continue the run in RUN (or in --out when RUN is left out) from its last completed epoch or phase,"
                    + " with its saved settings, bit-identical to an uninterrupted run at the same --threads.")
    String resume;

    /** True when --resume was given, with or without RUN. */
    public boolean given() {
        return resume != null;
    }

    /** The run to continue: RUN, else {@code out}; null when --resume was not given or neither names a run. */
    public Path run(Path out) {
        if (resume == null) {
            return null;
        }
        return resume.isEmpty() ? out : Path.of(resume);
    }
}
