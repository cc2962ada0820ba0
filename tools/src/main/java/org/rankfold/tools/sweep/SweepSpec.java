package org.rankfold.tools.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.rankfold.tools.UserError;
import org.rankfold.vbmf.pipeline.ModelSource;

/**
 * What a sweep runs (docs/sweeps.md): the grid models x rank targets x selectors x seeds x lambdas x expansions, each cell
 * one {@code compress} run of {@code variants}, with the preset, data and extra compress arguments every cell
 * shares, and the resources of a cell.
 *
 * @param models     zoo names or architecture files ({@code .json}, absolute paths)
 * @param variants   the variants every cell runs (the plain variant is the reference of the comparisons)
 * @param targets    {@code evbmf}, {@code params:X} or {@code macs:X}
 * @param selectors  rank selectors, each a cell per target: {@code evbmf}, and at {@code params:}/{@code macs:}
 *                   targets {@code energy} and {@code ratio} (the target search finds their fraction)
 * @param seeds      seeds
 * @param lambdas    orthogonality lambdas (empty: the preset's)
 * @param expands    expansion factors of {@code --overparam expand} (empty: the preset's over-parameterization)
 * @param preset     compress preset of every cell
 * @param data       {@code --data} of every cell (null: the default)
 * @param args       further compress arguments of every cell
 * @param threads    threads per cell (0: the cores split between the parallel cells)
 * @param cpus       Slurm {@code --cpus-per-task}
 * @param memory     Slurm {@code --mem}, e.g. {@code 8G}
 * @param time       Slurm {@code --time}, e.g. {@code 02:00:00} (null: the partition's default)
 * @param partition  Slurm partition (null: the default)
 * @param heap       the JVM heap of a cell ({@code RANKFOLD_HEAP}, e.g. {@code 4g})
 */
public record SweepSpec(List<String> models, List<String> variants, List<String> targets, List<String> selectors,
                        List<Long> seeds,
                        List<Double> lambdas, List<Double> expands, String preset, String data, List<String> args,
                        int threads, int cpus, String memory, String time, String partition, String heap) {

    /** The rank selectors a sweep compares; {@code energy} and {@code ratio} only at a params/macs target. */
    static final List<String> SELECTORS = List.of("evbmf", "energy", "ratio");
    static final String EVBMF = "evbmf";

    /** A spec is a few lines; anything larger is not one (and is not read into memory). */
    static final long MAX_SPEC_BYTES = 1 << 20;

    public SweepSpec {
        models = List.copyOf(models);
        variants = List.copyOf(variants);
        targets = List.copyOf(targets);
        selectors = List.copyOf(selectors);
        seeds = List.copyOf(seeds);
        lambdas = List.copyOf(lambdas);
        expands = List.copyOf(expands);
        args = List.copyOf(args);
        if (models.isEmpty() || variants.isEmpty() || targets.isEmpty() || selectors.isEmpty() || seeds.isEmpty()) {
            throw new UserError("a sweep needs at least one model, variant, target, selector and seed");
        }
        if (!variants.contains("plain")) {
            throw new UserError("a sweep's variants must include plain (the reference of every comparison), got " + variants);
        }
        for (String t : targets) {
            targetFlag(t);
        }
        for (String sel : selectors) {
            if (!SELECTORS.contains(sel)) {
                throw new UserError("selector '" + sel + "': expected one of " + String.join(", ", SELECTORS));
            }
        }
        if (selectors.stream().distinct().count() != selectors.size()) {
            throw new UserError("selectors must not repeat, got " + selectors);
        }
        if (!selectors.stream().allMatch(EVBMF::equals) && targets.stream().allMatch(EVBMF::equals)) {
            throw new UserError("selectors energy and ratio need a params:X or macs:X target (the search finds their"
                    + " fraction), got targets " + targets);
        }
        if (!List.of("quick", "standard", "full").contains(preset)) {
            throw new UserError("preset must be quick, standard or full, got '" + preset + "'");
        }
        if (threads < 0 || cpus < 1) {
            throw new UserError("threads must be >= 0 and cpus >= 1, got " + threads + " and " + cpus);
        }
    }

    /**
     * The models of a sweep as its cells name them: a zoo name as given (checked), an architecture file ({@code .json})
     * checked like {@code compress --model FILE.json} and named by its absolute path, so that every cell, worker and
     * Slurm task finds it wherever it runs (each cell's run keeps a copy).
     */
    static List<String> models(List<String> given) {
        List<String> out = new ArrayList<>();
        for (String m : given) {
            try {
                ModelSource source = ModelSource.of(m);
                out.add(source.isFile() ? Path.of(m).toAbsolutePath().normalize().toString() : m);
            } catch (IOException e) {
                throw new UserError("model " + m + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        return out;
    }

    /** A copy with {@code m} as the models. */
    SweepSpec withModels(List<String> m) {
        return new SweepSpec(m, variants, targets, selectors, seeds, lambdas, expands, preset, data, args, threads, cpus, memory, time,
                partition, heap);
    }

    /** The compress arguments of a rank target: none for {@code evbmf}, else the target flag and its ratio. */
    static List<String> targetFlag(String target) {
        if (target.equals("evbmf")) {
            return List.of();
        }
        int colon = target.indexOf(':');
        String kind = colon < 0 ? "" : target.substring(0, colon);
        double ratio;
        try {
            ratio = Double.parseDouble(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            ratio = Double.NaN;
        }
        if (!(ratio > 1) || !(kind.equals("params") || kind.equals("macs"))) {
            throw new UserError("target '" + target + "': expected evbmf, params:X or macs:X with X > 1");
        }
        return List.of("--target-" + kind + "-ratio", target.substring(colon + 1));
    }

    /** Reads a spec file (JSON, fields as in docs/sweeps.md); one error line naming the file and field. */
    public static SweepSpec read(Path file) throws IOException {
        JsonNode j;
        if (Files.isRegularFile(file) && Files.size(file) > MAX_SPEC_BYTES) {
            throw new UserError(file + ": a sweep spec is at most " + MAX_SPEC_BYTES + " bytes, this one has " + Files.size(file));
        }
        try {
            j = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UserError(file + ": not a JSON sweep spec (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (j == null || !j.isObject()) {
            throw new UserError(file + ": expected a JSON object");
        }
        var known = List.of("models", "variants", "targets", "selectors", "seeds", "lambdas", "expands", "preset", "data", "args",
                "threads", "cpus", "memory", "time", "partition", "heap");
        for (var it = j.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new UserError(file + ": unknown field '" + f + "'; known: " + String.join(", ", known));
            }
        }
        try {
            return new SweepSpec(texts(file, j, "models", List.of("fashionnet")),
                    texts(file, j, "variants", List.of("plain", "ortho", "overparam", "full")),
                    texts(file, j, "targets", List.of("evbmf")), texts(file, j, "selectors", List.of(EVBMF)),
                    numbers(file, j, "seeds", List.of(1.0)).stream().map(Double::longValue).toList(),
                    numbers(file, j, "lambdas", List.of()), numbers(file, j, "expands", List.of()),
                    j.path("preset").asText("standard"), j.hasNonNull("data") ? j.get("data").asText() : null,
                    texts(file, j, "args", List.of()), j.path("threads").asInt(0), j.path("cpus").asInt(2),
                    j.path("memory").asText("8G"), j.hasNonNull("time") ? j.get("time").asText() : null,
                    j.hasNonNull("partition") ? j.get("partition").asText() : null, j.path("heap").asText("4g"));
        } catch (UserError e) {
            throw new UserError(file + ": " + e.getMessage());
        }
    }

    private static List<String> texts(Path file, JsonNode j, String field, List<String> dflt) {
        if (!j.has(field)) {
            return dflt;
        }
        List<String> r = new ArrayList<>();
        if (!j.get(field).isArray()) {
            throw new UserError(file + ": field '" + field + "' must be an array of strings");
        }
        for (JsonNode e : j.get(field)) {
            if (!e.isTextual()) {
                throw new UserError(file + ": field '" + field + "' must be an array of strings, found " + e);
            }
            r.add(e.asText());
        }
        return r;
    }

    private static List<Double> numbers(Path file, JsonNode j, String field, List<Double> dflt) {
        if (!j.has(field)) {
            return dflt;
        }
        List<Double> r = new ArrayList<>();
        if (!j.get(field).isArray()) {
            throw new UserError(file + ": field '" + field + "' must be an array of numbers");
        }
        for (JsonNode e : j.get(field)) {
            if (!e.isNumber()) {
                throw new UserError(file + ": field '" + field + "' must be an array of numbers, found " + e);
            }
            r.add(e.asDouble());
        }
        return r;
    }
}
