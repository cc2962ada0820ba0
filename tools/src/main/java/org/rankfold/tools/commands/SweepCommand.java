package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.tools.json.Json;
import org.rankfold.tools.options.DataOption;
import org.rankfold.tools.options.JsonOption;
import org.rankfold.tools.options.QuietOption;
import org.rankfold.tools.options.Suggestions;
import org.rankfold.tools.options.ThreadsOption;
import org.rankfold.tools.sweep.Sweep;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `rankfold sweep`: a grid of compress runs (models x rank targets x selectors x seeds x lambdas x expansions, each
 * with the given variants), run here with {@code --jobs} cells in parallel or submitted as Slurm job arrays,
 * resumable; {@code --collect} writes {@code sweep.json} and {@code sweep.html} with the paired statistics,
 * {@code --export} copies the small files for a repository (docs/sweeps.md).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "A grid of compress runs (models x targets x selectors x seeds x lambdas x expansions), locally or as a Slurm job array; --collect gathers the statistics, --export copies the small files.",
        footer = {"", "--threads and --data apply to every cell: --threads 0 splits the cores between the --jobs cells (on Slurm: the task's CPUs).",
            "A cell's run directory is SWEEP/MODEL-TARGET-sSEED (MODEL-TARGET-SELECTOR-sSEED for energy, ratio); it is an ordinary compress run (report, verify, --resume).",
            "", "Examples:",
            "  ./rankfold sweep --models fashionnet --targets evbmf,params:3 --seeds 1,2 --preset quick --out runs/sw-plan --dry-run",
            "", "Long runs (hours; not run by the tests):",
            "  ./rankfold sweep --models fashionnet --targets evbmf,params:3,params:8 --seeds 1,2,3 --jobs 2 --out runs/sw",
            "  ./rankfold sweep spec.json --out runs/sw --executor slurm",
            "  ./rankfold sweep --models fashionnet --targets params:3 --selectors evbmf,energy,ratio --seeds 1,2,3 --out runs/sel",
            "  ./rankfold sweep --out runs/sw --collect",
            "  ./rankfold sweep --out runs/sw --collect --export docs/evidence/sw"})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "A JSON sweep spec (docs/sweeps.md); without it the grid comes from the flags.")
    Path specFile;

    @Option(names = "--out", required = true, paramLabel = "SWEEP", description = "The sweep directory: one run directory per cell, spec.json, logs/, sweep.json, sweep.html.")
    Path out;

    @Option(names = "--models", split = ",", paramLabel = "M",
            description = "Zoo models or architecture files (FILE.json, as 'compress --model'; the cells are named after the file). Default: fashionnet.")
    List<String> models;

    @Option(names = "--variants", split = ",", paramLabel = "V", description = "Variants of every cell; must include plain. Default: plain,ortho,overparam,full.")
    List<String> variants;

    @Option(names = "--targets", split = ",", paramLabel = "T", description = "Rank targets: evbmf, params:X, macs:X (X > 1). Default: evbmf.")
    List<String> targets;

    @Option(names = "--selectors", split = ",", paramLabel = "S", description = "Rank selectors compared at each params:/macs: target: evbmf, energy, ratio (the search finds their fraction). Default: evbmf.")
    List<String> selectors;

    @Option(names = "--seeds", split = ",", paramLabel = "S", description = "Seeds. Default: 1.")
    List<Long> seeds;

    @Option(names = "--lambdas", split = ",", paramLabel = "L", description = "Orthogonality lambdas, each a cell with --ortho-lambda. Default: the preset's.")
    List<Double> lambdas;

    @Option(names = "--expands", split = ",", paramLabel = "E", description = "Expansion factors, each a cell with --overparam expand. Default: the preset's over-parameterization.")
    List<Double> expands;

    @Option(names = "--preset", paramLabel = "P", description = "Compress preset of every cell: quick, standard or full. Default: standard.")
    String preset;

    @Mixin
    DataOption dataOption;

    @Option(names = "--compress-args", paramLabel = "ARGS", split = " ", description = "Further compress arguments of every cell, space-separated in one argument, e.g. \"--epochs 2 --limit-train 500\".")
    List<String> compressArgs;

    private int jobs = 1;

    @Option(names = "--jobs", defaultValue = "1", paramLabel = "N", description = "Cells run in parallel here, 1 to 64; the cores are split between them.")
    void setJobs(int n) {
        if (n < 1 || n > MAX_JOBS) {
            throw new ParameterException(spec.commandLine(), "--jobs must be between 1 and " + MAX_JOBS + ", got " + n);
        }
        jobs = n;
    }

    private String executor = "local";

    @Option(names = "--executor", defaultValue = "local", paramLabel = "E", description = "local (child processes here) or slurm (sbatch job arrays).")
    void setExecutor(String e) {
        if (!List.of("local", "slurm").contains(e)) {
            throw new ParameterException(spec.commandLine(), "--executor must be local or slurm, got '" + e + "'"
                    + Suggestions.closest(e, List.of("local", "slurm")).map(x -> "; did you mean " + x + "?").orElse(""));
        }
        executor = e;
    }

    @Option(names = "--collect", description = "Gather the finished cells: sweep.json and sweep.html (nothing is run).")
    boolean collect;

    @Option(names = "--export", paramLabel = "DIR", description = "With --collect: copy the sweep's small files (spec, sweep.json/.html, each cell's config, summary, audit, metrics and per-image predictions; never checkpoints) into DIR with a README.md; --collect works on DIR.")
    Path export;

    @Option(names = "--dry-run", description = "Print each cell's compress command and state; run nothing.")
    boolean dryRun;

    @Mixin
    ThreadsOption threadsOption;

    @Mixin
    JsonOption jsonOption;

    @Mixin
    QuietOption quietOption;

    @Option(names = "--run-cell", hidden = true, paramLabel = "I", description = "Run cell I (what the workers and array tasks run).")
    Integer runCell;

    @Option(names = "--threads-per-cell", hidden = true, paramLabel = "T", description = "Threads of --run-cell (Slurm: the task's CPUs).")
    Integer threadsPerCell;

    /** More parallel cells than this is a typo, not a machine. */
    private static final int MAX_JOBS = 64;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter o = spec.commandLine().getOut();
        boolean json = jsonOption.json();
        Sweep.Flags flags = new Sweep.Flags(models, variants, targets, selectors, seeds, lambdas, expands, preset,
                dataOption.given() ? dataOption.data() : null, compressArgs);
        Sweep sweep = Sweep.open(out, specFile, flags, runCell == null && !collect && !dryRun);
        int threads = threadsPerCell != null ? threadsPerCell : threadsOption.threads();
        if (runCell != null) {
            return sweep.runCell(runCell, threads, jobs, o, spec.commandLine().getErr());
        }
        if (export != null && !collect) {
            throw new org.rankfold.tools.UserError("--export needs --collect (it exports the collected sweep)");
        }
        if (collect) {
            Path page = sweep.collect();
            int exported = export == null ? 0 : sweep.export(export);
            if (json) {
                ObjectNode r = Json.object();
                r.put("sweep_json", sweep.dir().resolve("sweep.json").toString());
                r.put("page", page.toString());
                if (export != null) {
                    r.put("export", export.toString());
                    r.put("exported_files", exported);
                }
                Json.print(o, r);
            } else {
                o.println("sweep.json and " + page + " written");
                if (export != null) {
                    o.println("exported " + exported + " files to " + export + " (README.md lists them)");
                }
                o.flush();
            }
            return 0;
        }
        if (dryRun) {
            ObjectNode cells = sweep.describe(threads, jobs);
            if (json) {
                Json.print(o, cells);
            } else {
                for (JsonNode c : cells.get("cells")) {
                    List<String> cmd = new ArrayList<>();
                    c.get("command").forEach(a -> cmd.add(a.asText()));
                    o.println(c.get("index").asInt() + " " + c.get("name").asText() + " [" + c.get("state").asText()
                            + "]: rankfold " + String.join(" ", cmd));
                }
                o.flush();
            }
            return 0;
        }
        sweep.logCommand(spec.commandLine().getParseResult().originalArgs());
        if (executor.equals("slurm")) {
            ObjectNode r = sweep.submitSlurm();
            if (json) {
                Json.print(o, r);
            } else if (r.get("jobs").isEmpty()) {
                o.println("sweep: every cell is complete; nothing submitted");
            } else {
                List<String> ids = new ArrayList<>();
                r.get("jobs").forEach(j -> ids.add(j.asText()));
                o.println("sweep: submitted Slurm job" + (ids.size() > 1 ? "s " : " ") + String.join(", ", ids)
                        + " (scripts in " + r.get("scripts").asText() + "); when they have finished: rankfold sweep --out "
                        + sweep.dir() + " --collect");
            }
            o.flush();
            return 0;
        }
        // progress lines: on stdout as text, on stderr beside --json, nowhere with --quiet
        PrintWriter progress = quietOption.quiet() ? new PrintWriter(Writer.nullWriter())
                : json ? spec.commandLine().getErr() : o;
        ObjectNode r = sweep.runLocal(jobs, threads, progress);
        List<String> failed = new ArrayList<>();
        r.get("failed").forEach(f -> failed.add(f.asText()));
        if (json) {
            Json.print(o, r);
        } else {
            o.println("sweep: " + r.get("complete").asInt() + " of " + r.get("cells").asInt() + " cells complete; sweep.json and "
                    + r.get("page").asText() + " written" + (failed.isEmpty() ? "" : "; failed: " + String.join(", ", failed)));
            o.flush();
        }
        return failed.isEmpty() ? 0 : 1;
    }
}
