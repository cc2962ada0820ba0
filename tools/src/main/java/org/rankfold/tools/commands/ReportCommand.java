package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.tools.json.Json;
import org.rankfold.tools.report.ReportBuilder;

import org.rankfold.tools.options.JsonOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `rankfold report RUN`: (re)builds {@code RUN/report.html}, one self-contained page (inline CSS
 * and SVG, no scripts, no network) from the files of a compression run, and prints its path.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "(Re)build RUN/report.html: configuration, machine, wall time, training curves, per-layer "
                + "singular value spectra with the EVBMF threshold, ranks, errors, params/MACs, accuracy vs compression.",
        footer = {"", "--compare adds another run's points to the model table and plots.",
            "", "Examples (after ./rankfold compress, and the first example of 'rankfold compress --help'):",
            "  ./rankfold report runs/fashionnet-quick",
            "  ./rankfold report runs/fashionnet-quick --compare runs/small",
            "Open the printed file in any browser; it needs no network."})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "A run directory of compress, train or decompose (the output of 'rankfold decompose').")
    Path run;

    @Option(names = "--compare", paramLabel = "RUN", description = "Another run directory to add to the model-level table and plots (repeatable).")
    List<Path> compare;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws IOException {
        Path report = ReportBuilder.write(run, compare == null ? List.of() : compare);
        PrintWriter out = spec.commandLine().getOut();
        if (jsonOption.json()) {
            ObjectNode o = Json.object();
            o.put("report", report.toString());
            Json.print(out, o);
        } else {
            out.println(report);
        }
        out.flush();
        return 0;
    }
}
