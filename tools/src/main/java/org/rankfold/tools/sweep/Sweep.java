package org.rankfold.tools.sweep;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.io.AtomicFiles;
import org.rankfold.tools.Main;
import org.rankfold.tools.Sha256Files;
import org.rankfold.tools.UserError;

/**
 * A sweep directory (docs/sweeps.md): {@code spec.json} (the effective spec: every later call, worker and Slurm
 * task reads it), one compress run directory per cell ({@link SweepCell}), {@code logs/}, {@code slurm/},
 * {@code commands.log} (the commands that ran cells), and after {@code --collect} {@code sweep.json} and
 * {@code sweep.html}.
 */
public final class Sweep {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The grid given as flags (each null when not given). */
    public record Flags(List<String> models, List<String> variants, List<String> targets, List<String> selectors,
                        List<Long> seeds, List<Double> lambdas, List<Double> expands, String preset, String data,
                        List<String> args) {
        boolean any() {
            return models != null || variants != null || targets != null || selectors != null || seeds != null
                    || lambdas != null
                    || expands != null || preset != null || data != null || args != null;
        }

        Flags withModels(List<String> m) {
            return new Flags(m, variants, targets, selectors, seeds, lambdas, expands, preset, data, args);
        }
    }

    private final Path dir;
    private final SweepSpec spec;
    private final List<SweepCell> cells;

    private Sweep(Path dir, SweepSpec spec) {
        this.dir = dir.toAbsolutePath().normalize();
        this.spec = spec;
        this.cells = SweepCell.grid(spec);
    }

    /**
     * The sweep in {@code dir}: from {@code specFile}, else from the flags, else from the {@code spec.json} a
     * previous call left there. With {@code start}, the effective spec is written to {@code spec.json}, also when it
     * widens the one there ({@link #widens}); a spec that neither equals, widens nor narrows the sweep's is refused
     * (its cells would be mislabelled).
     */
    public static Sweep open(Path dir, Path specFile, Flags flags, boolean start) throws IOException {
        if (flags.models() != null) {
            flags = flags.withModels(SweepSpec.models(flags.models()));
        }
        Path saved = dir.resolve("spec.json");
        SweepSpec given;
        if (specFile != null) {
            if (flags.any()) {
                throw new UserError("give a SPEC file or grid flags (--models, --targets, ...), not both");
            }
            given = SweepSpec.read(specFile);
            given = given.withModels(SweepSpec.models(given.models()));
        } else if (flags.any()) {
            given = fromFlags(flags);
        } else if (Files.isRegularFile(saved)) {
            given = SweepSpec.read(saved);
        } else {
            throw new UserError(dir + " holds no sweep (no spec.json); give a SPEC file or grid flags to start one");
        }
        // a new sweep, or more targets, selectors, seeds, ... (the cells already run keep their names and sources)
        boolean write = start;
        if (Files.isRegularFile(saved)) {
            SweepSpec before = SweepSpec.read(saved);
            boolean same = before.equals(given);
            boolean wider = !same && widens(before, given);
            if (!same && !wider && !widens(given, before)) {
                throw new UserError(saved + " holds another spec: this sweep was started with other settings, and"
                        + " a later command may only widen its grid (more models, targets, selectors, seeds,"
                        + " lambdas or expansions, every cell already in it kept with its name and training"
                        + " source; the same variants, preset, data and arguments); use another --out");
            }
            write = start && wider;
        }
        if (write) {
            Files.createDirectories(dir);
            byte[] b = JSON.writeValueAsBytes(toJson(given));
            AtomicFiles.write(saved, o -> o.write(b));
        }
        return new Sweep(dir, given);
    }

    /**
     * Whether {@code wide} holds every cell of {@code narrow} unchanged (the same name, settings and training source)
     * and differs from it only in its grid axes. A command may widen a sweep (its spec.json then becomes the wider
     * spec), and a narrower spec of the same sweep (a worker of an earlier command, which reads that command's
     * snapshot of the spec) still runs its own cells.
     */
    static boolean widens(SweepSpec narrow, SweepSpec wide) {
        SweepSpec sameAxes = new SweepSpec(wide.models(), narrow.variants(), wide.targets(), wide.selectors(),
                wide.seeds(), wide.lambdas(), wide.expands(), narrow.preset(), narrow.data(), narrow.args(),
                narrow.threads(), narrow.cpus(), narrow.memory(), narrow.time(), narrow.partition(), narrow.heap());
        return sameAxes.equals(wide) && SweepCell.grid(wide).containsAll(SweepCell.grid(narrow));
    }

    /**
     * A copy of this command's spec under logs/ for the cells it starts to read: a later command may widen
     * spec.json, whose grid numbers the cells differently, while this one's workers are still being started.
     */
    private Path specSnapshot() throws IOException {
        byte[] b = JSON.writeValueAsBytes(toJson(spec));
        Path snapshot = Files.createDirectories(dir.resolve("logs")).resolve(
                "spec-" + Sha256Files.of(b).substring(0, 12) + ".json");
        if (!Files.isRegularFile(snapshot)) {
            AtomicFiles.write(snapshot, o -> o.write(b));
        }
        return snapshot;
    }

    private static SweepSpec fromFlags(Flags f) {
        return new SweepSpec(f.models() != null ? f.models() : List.of("fashionnet"),
                f.variants() != null ? f.variants() : List.of("plain", "ortho", "overparam", "full"),
                f.targets() != null ? f.targets() : List.of("evbmf"),
                f.selectors() != null ? f.selectors() : List.of(SweepSpec.EVBMF), f.seeds() != null ? f.seeds() : List.of(1L),
                f.lambdas() != null ? f.lambdas() : List.of(), f.expands() != null ? f.expands() : List.of(),
                f.preset() != null ? f.preset() : "standard", f.data(),
                f.args() != null ? f.args().stream().filter(a -> !a.isBlank()).toList() : List.of(), 0, 2, "8G", null, null,
                "4g");
    }

    static ObjectNode toJson(SweepSpec s) {
        ObjectNode o = JSON.createObjectNode();
        s.models().forEach(o.putArray("models")::add);
        s.variants().forEach(o.putArray("variants")::add);
        s.targets().forEach(o.putArray("targets")::add);
        if (!s.selectors().equals(List.of(SweepSpec.EVBMF))) {
            // only when given: a spec.json without the field reads as EVBMF alone, as sweeps made before the axis do
            s.selectors().forEach(o.putArray("selectors")::add);
        }
        s.seeds().forEach(o.putArray("seeds")::add);
        s.lambdas().forEach(o.putArray("lambdas")::add);
        s.expands().forEach(o.putArray("expands")::add);
        o.put("preset", s.preset());
        if (s.data() != null) {
            o.put("data", s.data());
        }
        s.args().forEach(o.putArray("args")::add);
        o.put("threads", s.threads());
        o.put("cpus", s.cpus());
        o.put("memory", s.memory());
        if (s.time() != null) {
            o.put("time", s.time());
        }
        if (s.partition() != null) {
            o.put("partition", s.partition());
        }
        o.put("heap", s.heap());
        return o;
    }

    public List<SweepCell> cells() {
        return cells;
    }

    /** Threads of one cell: the spec's, else the given count, else the cores split between {@code jobs} cells. */
    private int threads(int given, int jobs) {
        if (spec.threads() > 0) {
            return spec.threads();
        }
        if (given > 0) {
            return given;
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, jobs));
    }

    /** Runs cell {@code index} in this process: compress with the cell's arguments as they stand now. */
    public int runCell(int index, int threads, int jobs, PrintWriter out, PrintWriter err) {
        if (index < 0 || index >= cells.size()) {
            throw new UserError("--run-cell " + index + ": the sweep has cells 0.." + (cells.size() - 1));
        }
        SweepCell c = cells.get(index);
        if (c.complete(dir)) {
            out.println("sweep: " + c.name() + " is complete");
            out.flush();
            return 0;
        }
        if (c.source() != null && !c.source().complete(dir) && !c.started(dir)) {
            throw new UserError("cell " + c.name() + " reuses the training of " + c.source().name()
                    + ", which has not finished (failed?); see its log");
        }
        List<String> args = new ArrayList<>(List.of("compress"));
        args.addAll(c.compressArgs(spec, dir, threads(threads, jobs)));
        out.println("sweep: " + c.name() + ": rankfold " + String.join(" ", args));
        out.flush();
        return Main.run(args.toArray(String[]::new), out, err);
    }

    /** Every cell's state and compress command as it stands now ({@code --dry-run}), with {@code threads} per cell. */
    public ObjectNode describe(int threads, int jobs) {
        ObjectNode o = JSON.createObjectNode();
        var list = o.putArray("cells");
        for (int i = 0; i < cells.size(); i++) {
            SweepCell c = cells.get(i);
            ObjectNode cell = list.addObject();
            cell.put("index", i);
            cell.put("name", c.name());
            cell.put("state", c.complete(dir) ? "complete" : c.started(dir) ? "started" : "not started");
            var cmd = cell.putArray("command");
            cmd.add("compress");
            c.compressArgs(spec, dir, threads(threads, jobs)).forEach(cmd::add);
        }
        return o;
    }

    /**
     * Runs the cells that are not complete here, {@code jobs} at a time ({@code threads} each, 0: the cores split),
     * reporting each start and end to {@code progress}, then collects; returns the outcome.
     */
    public ObjectNode runLocal(int jobs, int threads, PrintWriter progress) throws IOException, InterruptedException {
        List<String> failed = LocalExecutor.run(cells, specSnapshot(), dir, jobs, threads, spec.heap(), progress);
        Path page = collect();
        ObjectNode o = JSON.createObjectNode();
        o.put("cells", cells.size());
        o.put("complete", cells.size() - failed.size());
        failed.forEach(o.putArray("failed")::add);
        o.put("sweep_json", dir.resolve("sweep.json").toString());
        o.put("page", page.toString());
        return o;
    }

    /** Submits the cells that are not complete as Slurm job arrays; returns the job ids and the scripts' folder. */
    public ObjectNode submitSlurm() throws IOException, InterruptedException {
        List<String> ids = SlurmExecutor.submit(cells, spec, specSnapshot(), dir);
        ObjectNode o = JSON.createObjectNode();
        ids.forEach(o.putArray("jobs")::add);
        o.put("scripts", dir.resolve("slurm").toString());
        return o;
    }

    /** The sweep directory. */
    public Path dir() {
        return dir;
    }

    /**
     * Copies the sweep's small files into {@code to} with a README ({@link SweepExport}); call after {@link #collect}.
     * Returns the number of files written.
     */
    public int export(Path to) throws IOException {
        return SweepExport.export(cells, spec, dir, to);
    }

    /**
     * Appends a command that runs cells of this sweep to {@code commands.log} (the build and the arguments, the sweep
     * directory written as SWEEP), so an export can say how the sweep was made.
     */
    public void logCommand(List<String> args) throws IOException {
        Files.writeString(dir.resolve("commands.log"), SweepExport.logLine(args), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Writes sweep.json and sweep.html from the finished cells; returns the page. */
    public Path collect() throws IOException {
        ObjectNode s = SweepCollector.collect(cells, spec, dir);
        byte[] b = JSON.writeValueAsBytes(s);
        AtomicFiles.write(dir.resolve("sweep.json"), o -> o.write(b));
        byte[] page = SweepPage.render(s).getBytes(StandardCharsets.UTF_8);
        Path html = dir.resolve("sweep.html");
        AtomicFiles.write(html, o -> o.write(page));
        return html;
    }

}
