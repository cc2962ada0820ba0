package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.rankfold.tools.sweep.Sweep;

import picocli.CommandLine.Command;
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
        footer = {"", "Examples (long runs: hours; not run by the tests):",
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

    @Option(names = "--models", split = ",", paramLabel = "M", description = "Zoo models (default fashionnet).")
    List<String> models;

    @Option(names = "--variants", split = ",", paramLabel = "V", description = "Variants of every cell; must include plain (default plain,ortho,overparam,full).")
    List<String> variants;

    @Option(names = "--targets", split = ",", paramLabel = "T", description = "Rank targets: evbmf, params:X, macs:X (default evbmf).")
    List<String> targets;

    @Option(names = "--selectors", split = ",", paramLabel = "S", description = "Rank selectors compared at each params:/macs: target: evbmf, energy, ratio (the search finds their fraction; default evbmf).")
    List<String> selectors;

    @Option(names = "--seeds", split = ",", paramLabel = "S", description = "Seeds (default 1).")
    List<Long> seeds;

    @Option(names = "--lambdas", split = ",", paramLabel = "L", description = "Orthogonality lambdas (default: the preset's).")
    List<Double> lambdas;

    @Option(names = "--expands", split = ",", paramLabel = "E", description = "Expansion factors, each a cell with --overparam expand (default: the preset's over-parameterization).")
    List<Double> expands;

    @Option(names = "--preset", paramLabel = "P", description = "Compress preset of every cell (default standard).")
    String preset;

    @Option(names = "--data", paramLabel = "DATA", description = "--data of every cell.")
    String data;

    @Option(names = "--compress-args", paramLabel = "ARGS", split = " ", description = "Further compress arguments of every cell, space-separated in one argument, e.g. \"--epochs 2 --limit-train 500\".")
    List<String> compressArgs;

    @Option(names = "--jobs", defaultValue = "1", paramLabel = "N", description = "Cells run in parallel here; the cores are split between them.")
    int jobs;

    @Option(names = "--executor", defaultValue = "local", paramLabel = "E", description = "local or slurm (sbatch job arrays).")
    String executor;

    @Option(names = "--collect", description = "Gather the finished cells: sweep.json and sweep.html (nothing is run).")
    boolean collect;

    @Option(names = "--export", paramLabel = "DIR", description = "With --collect: copy the sweep's small files (spec, sweep.json/.html, each cell's config, summary, audit, metrics and per-image predictions; never checkpoints) into DIR with a README.md; --collect works on DIR.")
    Path export;

    @Option(names = "--dry-run", description = "Print each cell's compress command and state; run nothing.")
    boolean dryRun;

    @Option(names = "--run-cell", hidden = true, paramLabel = "I", description = "Run cell I (what the workers and array tasks run).")
    Integer runCell;

    @Option(names = "--threads-per-cell", hidden = true, paramLabel = "T", description = "Threads of --run-cell (Slurm: the task's CPUs).")
    Integer threadsPerCell;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter o = spec.commandLine().getOut();
        Sweep.Flags flags = new Sweep.Flags(models, variants, targets, selectors, seeds, lambdas, expands, preset, data, compressArgs);
        Sweep sweep = Sweep.open(out, specFile, flags, runCell == null && !collect && !dryRun);
        if (runCell != null) {
            return sweep.runCell(runCell, threadsPerCell != null ? threadsPerCell : 0, jobs, o, spec.commandLine().getErr());
        }
        if (export != null && !collect) {
            throw new org.rankfold.tools.UserError("--export needs --collect (it exports the collected sweep)");
        }
        if (collect) {
            Path page = sweep.collect();
            o.println("sweep.json and " + page + " written");
            if (export != null) {
                int n = sweep.export(export);
                o.println("exported " + n + " files to " + export + " (README.md lists them)");
            }
            o.flush();
            return 0;
        }
        if (dryRun) {
            sweep.describe(o, jobs);
            return 0;
        }
        if (!executor.equals("local") && !executor.equals("slurm")) {
            throw new org.rankfold.tools.UserError("--executor must be local or slurm, got '" + executor + "'");
        }
        sweep.logCommand(spec.commandLine().getParseResult().originalArgs());
        return executor.equals("local") ? sweep.runLocal(jobs, o) : sweep.submitSlurm(o);
    }

}
