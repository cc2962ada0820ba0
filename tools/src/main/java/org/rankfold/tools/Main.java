package org.rankfold.tools;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.engine.train.TrainingStoppedException;
import org.rankfold.tools.commands.BenchCommand;
import org.rankfold.tools.commands.CompressCommand;
import org.rankfold.tools.commands.DecomposeCommand;
import org.rankfold.tools.commands.DevicesCommand;
import org.rankfold.tools.commands.EvalCommand;
import org.rankfold.tools.commands.ExportCommand;
import org.rankfold.tools.commands.ImportCommand;
import org.rankfold.tools.commands.PredictCommand;
import org.rankfold.tools.commands.InspectCommand;
import org.rankfold.tools.commands.RanksCommand;
import org.rankfold.tools.commands.ReportCommand;
import org.rankfold.tools.commands.TrainCommand;
import org.rankfold.tools.commands.SweepCommand;
import org.rankfold.tools.commands.TuckerCommand;
import org.rankfold.tools.commands.VbmfCommand;
import org.rankfold.tools.commands.VerifyCommand;
import org.rankfold.vbmf.pipeline.PhaseDivergedException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rankfold} command line. Exit codes (docs/architecture.md, command line): 0 success, 2 bad usage or bad
 * input (one line on stderr), 1 internal error.
 */
@Command(name = "rankfold", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train convolutional networks and compress them by low-rank decomposition "
                + "(orthogonal regularization, EVBMF ranks, Tucker-2).",
        subcommands = {
                CompressCommand.class, TrainCommand.class, EvalCommand.class, DecomposeCommand.class,
                VbmfCommand.class, RanksCommand.class, TuckerCommand.class, InspectCommand.class,
                BenchCommand.class, DevicesCommand.class, ReportCommand.class, ExportCommand.class, ImportCommand.class,
                SweepCommand.class, PredictCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'rankfold COMMAND --help' for the options of a command.",
            "In a source checkout, './rankfold dist --out DIR [--jlink]' makes a release archive that runs offline."})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("rankfold: " + ex.getMessage());
            err.println("Run 'rankfold " + commandPath(ex.getCommandLine()) + " --help' for usage.");
            return EXIT_BAD_INPUT;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // Estimates refuse the known cases up front; this is the last line for the rest (heap left: a few MB at most).
            err.println("rankfold" + (args.length > 0 ? " " + args[0] : "") + ": " + EnvironmentErrors.outOfMemory());
            err.flush();
            return EXIT_BAD_INPUT;
        }
    }

    private static String commandPath(CommandLine cl) {
        String q = cl.getCommandSpec().qualifiedName(" ");
        return q.startsWith("rankfold ") ? q.substring("rankfold ".length()) : "";
    }

    private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (ex instanceof UserError
                || ex instanceof PhaseDivergedException
                || ex instanceof TrainingStoppedException
                || ex instanceof MalformedFileException
                || ex instanceof NoSuchFileException
                || ex instanceof IllegalArgumentException) {
            String msg = ex instanceof NoSuchFileException n ? "no such file: " + n.getFile() : ex.getMessage();
            err.println("rankfold " + cl.getCommandName() + ": " + msg);
            return EXIT_BAD_INPUT;
        }
        String environment = EnvironmentErrors.describe(ex);
        if (environment != null) {
            err.println("rankfold " + cl.getCommandName() + ": " + environment);
            return EXIT_BAD_INPUT;
        }
        err.println("rankfold " + cl.getCommandName() + ": internal error: " + ex);
        ex.printStackTrace(err);
        return EXIT_INTERNAL;
    }

    /** Prints the version of the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo b = BuildInfo.current();
            return new String[] {"rankfold " + b.version() + " (commit " + b.commit() + ")",
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ") at " + System.getProperty("java.home")};
        }
    }
}
