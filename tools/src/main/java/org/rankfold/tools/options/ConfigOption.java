package org.rankfold.tools.options;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code --config FILE}: the settings of a saved run as defaults ({@link ConfigDefaults}); options given on the
 * command line override them.
 */
public final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Take the settings of a saved run as defaults: a compress run's config.json, a train run's"
                    + " rankfold-run.json or a checkpoint's state.json; options given here override them.")
    Path config;
}
