package org.rankfold.tools.options;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The prefix of every error and warning line: {@code rankfold COMMAND} (the full path of a subcommand). */
public final class Prefix {
    private Prefix() {
    }

    public static String of(CommandSpec spec) {
        return spec.qualifiedName(" ");
    }

    public static String of(CommandLine cl) {
        return of(cl.getCommandSpec());
    }
}
