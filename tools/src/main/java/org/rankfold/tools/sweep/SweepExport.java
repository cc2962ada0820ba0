package org.rankfold.tools.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.rankfold.datasets.io.AtomicFiles;
import org.rankfold.tools.BuildInfo;
import org.rankfold.tools.UserError;

/**
 * {@code sweep --collect --export DIR}: the sweep's small files, for a repository (docs/sweeps.md): {@code spec.json},
 * {@code sweep.json}, {@code sweep.html}, {@code commands.log}, and per complete cell {@code config.json},
 * {@code summary.json}, {@code audit.jsonl}, {@code metrics.csv}, {@code orthogonality.csv} and the per-image
 * predictions the paired statistics read (labels, each variant's final model, the budget-matched baseline; uint8
 * {@code .npy}, one byte per test image); an unfinished cell keeps only its {@code progress.json} and
 * {@code config.json}, so the cell list's states are recomputed too. Never checkpoints. A {@code README.md} lists the files and the commands. {@code sweep
 * --collect} on the exported directory reads exactly these files and writes the same {@code sweep.json}. In the text
 * files the sweep directory's absolute path is written {@code SWEEP} ({@link SweepPathToken}): nothing collect reads
 * is a path, so the statistics are the same.
 */
final class SweepExport {
    /** The per-cell files of a complete cell, besides the predictions. */
    static final List<String> CELL_FILES = List.of("config.json", "summary.json", "audit.jsonl", "metrics.csv",
            "orthogonality.csv");
    /** Arguments that print as they are in a shell; others are single-quoted in the README. */
    private static final Pattern PLAIN_ARG = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");
    /** The files copied as text, with the sweep directory's path replaced; the rest (the .npy files) byte for byte. */
    private static final List<String> TEXT_SUFFIXES = List.of(".json", ".jsonl", ".csv", ".log", ".html");

    private SweepExport() {
    }

    /** Copies the small files of the sweep in {@code sweep} (already collected) into {@code dir}; returns the file count. */
    static int export(List<SweepCell> cells, SweepSpec spec, Path sweep, Path dir) throws IOException {
        Path to = dir.toAbsolutePath().normalize();
        SweepPathToken token = SweepPathToken.of(sweep);
        if (to.startsWith(sweep)) {
            throw new UserError("--export " + dir + ": give a directory outside the sweep directory " + sweep);
        }
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
                throw new UserError("--export " + dir + ": exists and is not a directory");
            }
            boolean empty;
            try (var list = Files.list(to)) {
                empty = list.findAny().isEmpty();
            }
            // a previous export of this sweep is brought up to date; anything else is left alone
            if (!empty && !(isExportOf(to, sweep, spec, token) && Files.isRegularFile(to.resolve("README.md")))) {
                throw new UserError("--export " + dir + ": the directory is not empty and holds no export of this sweep;"
                        + " give a new directory");
            }
        }
        Files.createDirectories(to);
        int n = 0;
        for (String f : List.of("spec.json", "sweep.json", "sweep.html", "commands.log")) {
            n += copy(token, sweep.resolve(f), to.resolve(f));
        }
        List<String> states = new ArrayList<>();
        for (SweepCell c : cells) {
            Path from = c.dir(sweep);
            Path into = to.resolve(c.name());
            // a previous export's files of the cell go first: a cell that is no longer complete must not look so
            for (String f : exportedNames(spec)) {
                Files.deleteIfExists(into.resolve(f));
            }
            if (c.complete(sweep)) {
                for (String f : CELL_FILES) {
                    n += copy(token, from.resolve(f), into.resolve(f));
                }
                for (String p : predictions(spec)) {
                    n += copy(token, from.resolve("predictions").resolve(p), into.resolve("predictions").resolve(p));
                }
                states.add("complete");
            } else if (c.started(sweep)) {
                // what makes a cell started (SweepCell#started), so the export recomputes its state
                n += copy(token, from.resolve("progress.json"), into.resolve("progress.json"));
                n += copy(token, from.resolve("config.json"), into.resolve("config.json"));
                states.add("started");
            } else {
                states.add("not started");
            }
        }
        byte[] readme = readme(cells, states, spec, sweep, token).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(to.resolve("README.md"), o -> o.write(readme));
        return n + 1;
    }

    /**
     * Whether {@code to} holds an export of this sweep: its spec.json reads as the sweep's spec, or (a spec naming a
     * file in the sweep directory) is the sweep's spec.json with the path replaced, as the export wrote it.
     */
    private static boolean isExportOf(Path to, Path sweep, SweepSpec spec, SweepPathToken token) throws IOException {
        Path exported = to.resolve("spec.json");
        if (!Files.isRegularFile(exported, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (SweepSpec.read(exported).equals(spec)) {
            return true;
        }
        Path own = sweep.resolve("spec.json");
        return Files.isRegularFile(own, LinkOption.NOFOLLOW_LINKS)
                && Arrays.equals(Files.readAllBytes(exported), token.replace(Files.readAllBytes(own)));
    }

    /** Every file name (relative to a cell) an export may write for a cell. */
    private static List<String> exportedNames(SweepSpec spec) {
        List<String> names = new ArrayList<>(CELL_FILES);
        names.add("progress.json");
        predictions(spec).forEach(p -> names.add("predictions/" + p));
        return names;
    }

    /** The prediction files the paired statistics read: labels, the budget-matched baseline, each variant's final model. */
    static List<String> predictions(SweepSpec spec) {
        List<String> p = new ArrayList<>(List.of("labels.npy", "baseline-eval.npy"));
        for (String v : spec.variants()) {
            p.add(v + "-eval.npy");
        }
        return p;
    }

    /**
     * Copies a regular file (links and missing files are skipped: 0), replacing what is there; a text file with the
     * sweep directory's path written SWEEP. Returns 1 when copied.
     */
    private static int copy(SweepPathToken token, Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        Files.createDirectories(to.getParent());
        String name = from.getFileName().toString();
        if (TEXT_SUFFIXES.stream().anyMatch(name::endsWith)) {
            byte[] text = token.replace(Files.readAllBytes(from));
            AtomicFiles.write(to, o -> o.write(text));
        } else {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        return 1;
    }

    private static String readme(List<SweepCell> cells, List<String> states, SweepSpec spec, Path sweep,
                                 SweepPathToken token) throws IOException {
        BuildInfo build = BuildInfo.current();
        StringBuilder b = new StringBuilder();
        b.append("# Sweep: ").append(String.join(", ", spec.models())).append(", targets ")
                .append(String.join(", ", spec.targets())).append(", ").append(spec.seeds().size()).append(" seed")
                .append(spec.seeds().size() == 1 ? "" : "s").append("\n\n");
        b.append("The small files of a `rankfold sweep` (no checkpoints), exported with rankfold ").append(build.version())
                .append(" (commit ").append(build.commit()).append("). Every number of `sweep.json` and `sweep.html` is")
                .append(" recomputed from them by\n\n```\n./rankfold sweep --out THIS_DIRECTORY --collect\n```\n\n")
                .append("which rewrites `sweep.json` and `sweep.html` (the bootstrap is seeded, so they come out the same).")
                .append(" The format of every file is described in the repository's docs/file-formats.md and docs/sweeps.md.\n\n")
                .append("The sweep directory's absolute path (on the machine that ran it) is written `SWEEP` in every copied")
                .append(" text file (`reuse_training` in `config.json`, `training_reused_from` in `summary.json`, the")
                .append(" `reuse_training` record of `audit.jsonl`, the commands): the export replaced it, so there is")
                .append(" nothing to edit by hand. Those fields are informational; `--collect` reads none of them.\n\n");
        b.append("## How the sweep was run\n\n");
        List<String> commands = commands(sweep.resolve("commands.log")).stream().map(token::replace).toList();
        if (commands.isEmpty()) {
            b.append("The sweep recorded no command line; `spec.json` is its effective spec, and this command runs the same cells:\n\n")
                    .append("```\n./rankfold sweep spec.json --out SWEEP\n```\n\n");
        } else {
            b.append("The commands run on the sweep directory (SWEEP), in order, as recorded in `commands.log`:\n\n```\n");
            commands.forEach(c -> b.append(c).append('\n'));
            b.append("```\n\n`spec.json` is the effective spec, that of the widest command (a later command may widen a")
                    .append(" sweep's grid, docs/sweeps.md); `./rankfold sweep spec.json --out SWEEP` runs the same cells.\n\n");
        }
        b.append("## Files\n\n| file | what it is |\n| --- | --- |\n")
                .append("| `spec.json` | the effective spec: models, variants, targets, selectors, seeds, lambdas, expansions, preset, data, further compress arguments |\n")
                .append("| `sweep.json` | the collected statistics: per (model, target, selector, lambda, expansion) group and variant, mean and std over seeds, paired differences with 95% intervals and McNemar's p |\n")
                .append("| `sweep.html` | the same as one self-contained page |\n")
                .append(commands.isEmpty() ? "" : "| `commands.log` | the sweep commands run on the sweep directory, with the build that ran them |\n")
                .append("| `CELL/config.json` | the cell's compress settings (model, seed, schedule, selector, target, data, validation split) |\n")
                .append("| `CELL/summary.json` | the cell's results: baseline, budget-matched baseline, every variant's accuracy, params, MACs, ratios, the searched selector value |\n")
                .append("| `CELL/audit.jsonl` | every decision: per phase its result; per layer and variant the unfoldings, singular values, EVBMF sigma^2 and threshold, ranks, errors; the target search's steps |\n")
                .append("| `CELL/metrics.csv` | per training epoch: cross-entropy, accuracy, validation loss and accuracy, learning rate, the orthogonality penalty |\n")
                .append("| `CELL/orthogonality.csv` | per epoch and weight: the distance from orthogonality |\n")
                .append("| `CELL/predictions/labels.npy` | the test labels, uint8, one per test image in test-set order |\n")
                .append("| `CELL/predictions/V-eval.npy` | the predicted class of every test image by variant V's final model (uint8 `.npy`, one byte per image: 10,128 bytes for 10,000 images) |\n")
                .append("| `CELL/predictions/baseline-eval.npy` | the same for the budget-matched dense baseline |\n")
                .append(states.contains("started") ? "| `CELL/progress.json` | only for an unfinished cell (with its `config.json`): the phases it completed |\n" : "")
                .append('\n');
        b.append("## Cells\n\n| cell | state | model | target | selector | seed | lambda | expand |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (int i = 0; i < cells.size(); i++) {
            SweepCell c = cells.get(i);
            b.append("| `").append(c.name()).append("` | ").append(states.get(i)).append(" | ").append(c.model())
                    .append(" | ").append(c.target()).append(" | ").append(c.selector()).append(" | ").append(c.seed())
                    .append(" | ").append(num(c.lambda())).append(" | ").append(num(c.expand())).append(" |\n");
        }
        return b.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "preset" : String.format(Locale.ROOT, "%s", v);
    }

    /** The lines of commands.log (each command after a comment line naming the build), blank lines left out. */
    private static List<String> commands(Path log) throws IOException {
        if (!Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    }

    /**
     * One line of commands.log for a sweep command: the build, then the arguments, shell-quoted where needed, with
     * the sweep directory written as {@code SWEEP} (the directory is local to the machine that ran it).
     */
    static String logLine(List<String> args) {
        BuildInfo build = BuildInfo.current();
        StringBuilder b = new StringBuilder("# rankfold ").append(build.version()).append(" (commit ").append(build.commit())
                .append(")\n./rankfold sweep");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (i == 0 && a.equals("sweep")) {
                continue;
            }
            if (a.startsWith("--out=")) {
                a = "--out=SWEEP";
            } else if (i > 0 && args.get(i - 1).equals("--out")) {
                a = "SWEEP";
            }
            b.append(' ').append(PLAIN_ARG.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.append('\n').toString();
    }
}
