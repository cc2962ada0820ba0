package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** `rankfold report`: (Re)build RUN/report.html. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "(Re)build RUN/report.html.",
        footer = {"", "Example:", "  ./rankfold report runs/demo"})
public final class ReportCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotLanded.because("report", 9, "the HTML report");
    }
}
