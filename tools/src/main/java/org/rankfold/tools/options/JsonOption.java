package org.rankfold.tools.options;

import picocli.CommandLine.Option;

/** {@code --json}: one JSON object on stdout instead of text. */
public final class JsonOption {
    @Option(names = "--json", description = "Print one JSON object with the result instead of text.")
    boolean json;

    public boolean json() {
        return json;
    }
}
