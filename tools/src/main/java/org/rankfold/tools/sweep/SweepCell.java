package org.rankfold.tools.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.rankfold.tools.UserError;

/**
 * One cell of a sweep: one {@code compress} run directory. Cells that differ only in the rank target share their
 * trained models: the first target's cell trains ({@link #source} null), the others start from its training
 * with {@code --reuse-training}.
 *
 * @param name   the run directory's name under the sweep directory
 * @param model  zoo name or architecture file
 * @param target rank target ({@link SweepSpec#targets})
 * @param selector rank selector ({@link SweepSpec#selectors}; {@code evbmf} at an {@code evbmf} target)
 * @param seed   seed
 * @param lambda orthogonality lambda (NaN: the preset's)
 * @param expand expansion factor (NaN: the preset's over-parameterization)
 * @param source the cell whose trained models this one reuses (null: it trains)
 */
public record SweepCell(String name, String model, String target, String selector, long seed, double lambda,
                        double expand, SweepCell source) {

    /**
     * The grid of {@code spec}, sources first within each training group. A non-EVBMF selector makes a cell only at a
     * params/macs target, and its name gets {@code -SELECTOR} after the target (EVBMF cells keep the names they had
     * before selectors were an axis).
     */
    public static List<SweepCell> grid(SweepSpec spec) {
        List<Double> lambdas = spec.lambdas().isEmpty() ? List.of(Double.NaN) : spec.lambdas();
        List<Double> expands = spec.expands().isEmpty() ? List.of(Double.NaN) : spec.expands();
        List<SweepCell> cells = new ArrayList<>();
        for (String m : spec.models()) {
            for (long s : spec.seeds()) {
                for (double l : lambdas) {
                    for (double e : expands) {
                        SweepCell first = null;
                        for (String t : spec.targets()) {
                            for (String sel : spec.selectors()) {
                                boolean evbmf = sel.equals(SweepSpec.EVBMF);
                                if (!evbmf && t.equals(SweepSpec.EVBMF)) {
                                    continue;
                                }
                                String name = String.format(Locale.ROOT, "%s-%s%s-s%d%s%s", label(m), t.replace(':', 'x'),
                                        evbmf ? "" : "-" + sel, s, Double.isNaN(l) ? "" : "-l" + num(l),
                                        Double.isNaN(e) ? "" : "-e" + num(e));
                                SweepCell c = new SweepCell(name, m, t, sel, s, l, e, first);
                                if (cells.stream().anyMatch(x -> x.name().equals(name))) {
                                    throw new UserError("two cells would share the run directory " + name + " (two"
                                            + " architecture files of the same name?); rename one");
                                }
                                cells.add(c);
                                if (first == null) {
                                    first = c;
                                }
                            }
                        }
                    }
                }
            }
        }
        return cells;
    }

    /** The model's part of a cell name: the zoo name, or an architecture file's name without {@code .json}. */
    static String label(String model) {
        if (!model.toLowerCase(Locale.ROOT).endsWith(".json")) {
            return model;
        }
        String f = Path.of(model).getFileName().toString();
        return f.substring(0, f.length() - ".json".length());
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    public Path dir(Path sweep) {
        return sweep.resolve(name);
    }

    /** Finished: its summary.json exists. */
    public boolean complete(Path sweep) {
        return Files.isRegularFile(dir(sweep).resolve("summary.json"));
    }

    /**
     * Started and not finished: a compress {@code --resume} continues it. A cell killed before its first phase
     * completed has a config.json but no progress.json yet; compress refuses to start over such a directory
     * without {@code --resume}, and with it starts the first phase again.
     */
    public boolean started(Path sweep) {
        return (Files.isRegularFile(dir(sweep).resolve("progress.json")) || Files.isRegularFile(dir(sweep).resolve("config.json")))
                && !complete(sweep);
    }

    /**
     * The compress arguments of this cell (after the {@code compress} word) as they stand now: {@code --resume} when
     * the cell was started, {@code --reuse-training} when it has a source and was not.
     */
    public List<String> compressArgs(SweepSpec spec, Path sweep, int threads) {
        List<String> a = new ArrayList<>(List.of("--model", model, "--seed", Long.toString(seed), "--preset", spec.preset(),
                "--variants", String.join(",", spec.variants()), "--threads", Integer.toString(threads), "--quiet",
                "--out", dir(sweep).toString()));
        if (spec.data() != null) {
            a.addAll(List.of("--data", spec.data()));
        }
        a.addAll(SweepSpec.targetFlag(target));
        if (!selector.equals(SweepSpec.EVBMF)) {
            a.addAll(List.of("--selector", selector));
        }
        if (!Double.isNaN(lambda)) {
            a.addAll(List.of("--ortho-lambda", Double.toString(lambda)));
        }
        if (!Double.isNaN(expand)) {
            a.addAll(List.of("--overparam", "expand", "--expand", Double.toString(expand)));
        }
        a.addAll(spec.args());
        if (started(sweep)) {
            a.add("--resume");
        } else if (source != null) {
            a.addAll(List.of("--reuse-training", source.dir(sweep).toString()));
        }
        return a;
    }
}
