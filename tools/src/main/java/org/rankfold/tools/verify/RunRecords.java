package org.rankfold.tools.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.tools.UserError;
import org.rankfold.vbmf.pipeline.RunDirectory;

/**
 * What {@code rankfold verify} reads from a directory, once: which kind of output it is, its records
 * ({@code config.json}, {@code progress.json}, {@code summary.json}, {@code audit.jsonl}) and its checkpoint
 * directories. JSON is read with the pipeline's strict reader (duplicate keys and oversized files rejected).
 *
 * @param root        the directory given, absolute and normalized
 * @param kind        what wrote it
 * @param config      {@code config.json} of a compress run (null otherwise)
 * @param completed   {@code progress.json}'s {@code completed} object of a compress run, phases in run order (null otherwise)
 * @param summary     {@code summary.json} of a compress run (null when absent)
 * @param audit       the lines of {@code audit.jsonl} (empty when absent)
 * @param checkpoints every checkpoint directory of the run (for a single checkpoint: itself)
 */
record RunRecords(Path root, Kind kind, JsonNode config, JsonNode completed, JsonNode summary, List<JsonNode> audit,
                  List<Path> checkpoints) {

    /** What wrote the directory. */
    enum Kind {
        /** {@code rankfold compress}: config.json, progress.json, summary.json, audit.jsonl, checkpoints/. */
        COMPRESS("compress run"),
        /** {@code rankfold train}: metrics.csv, checkpoint/ and best/. */
        TRAIN("train run"),
        /** One checkpoint directory (a {@code rankfold decompose} output has its audit.jsonl beside the files). */
        CHECKPOINT("checkpoint");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** audit.jsonl larger than this is not one this program writes. */
    static final long MAX_AUDIT_BYTES = 256L << 20;
    /** Nor a JSON record file (config, progress, summary, state) larger than this. */
    static final long MAX_JSON_BYTES = 64L << 20;

    RunRecords {
        audit = List.copyOf(audit);
        checkpoints = List.copyOf(checkpoints);
    }

    static RunRecords read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UserError("no such directory: " + dir);
        }
        Path root = dir.toAbsolutePath().normalize();
        List<JsonNode> audit = Files.isRegularFile(root.resolve("audit.jsonl"), LinkOption.NOFOLLOW_LINKS)
                ? auditLines(root.resolve("audit.jsonl")) : List.of();
        if (isCheckpoint(root)) {
            return new RunRecords(root, Kind.CHECKPOINT, null, null, null, audit, List.of(root));
        }
        if (Files.isRegularFile(root.resolve("config.json")) && Files.isRegularFile(root.resolve("progress.json"))) {
            JsonNode config = json(root.resolve("config.json"));
            JsonNode completed = json(root.resolve("progress.json")).path("completed");
            if (!completed.isObject()) {
                throw new MalformedFileException(root.resolve("progress.json").toString(), -1, "field 'completed' must be an object");
            }
            JsonNode summary = Files.isRegularFile(root.resolve("summary.json")) ? json(root.resolve("summary.json")) : null;
            return new RunRecords(root, Kind.COMPRESS, config, completed, summary, audit, checkpointsUnder(root.resolve("checkpoints")));
        }
        List<Path> trained = new ArrayList<>();
        for (String name : List.of("checkpoint", "best")) {
            if (isCheckpoint(root.resolve(name))) {
                trained.add(root.resolve(name));
            }
        }
        if (!trained.isEmpty()) {
            return new RunRecords(root, Kind.TRAIN, null, null, null, audit, trained);
        }
        throw new UserError(root + " is neither a run directory of compress (config.json, progress.json) or train "
                + "(checkpoint/, best/) nor a checkpoint (state.json, model.json)");
    }

    /** True when {@code dir} holds a state.json and a model.json. */
    static boolean isCheckpoint(Path dir) {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(dir.resolve("state.json"))
                && Files.isRegularFile(dir.resolve("model.json"));
    }

    /** The phases of a compress run that name a checkpoint, with the path as recorded (progress.json, then audit.jsonl). */
    Map<String, String> namedCheckpoints() {
        Map<String, String> named = new LinkedHashMap<>();
        if (completed != null) {
            completed.properties().forEach(e -> {
                if (e.getValue().has("checkpoint")) {
                    named.put("progress.json " + e.getKey(), e.getValue().get("checkpoint").asText());
                }
            });
        }
        for (JsonNode r : audit) {
            if (r.has("checkpoint")) {
                named.put("audit.jsonl " + r.path("phase").asText() + " " + r.path("step").asText(), r.get("checkpoint").asText());
            }
        }
        return named;
    }

    /**
     * The checkpoint directory a recorded path names, when it lies inside the run (after following links) and
     * is a checkpoint; null otherwise (the paths check reports it).
     */
    Path inside(String recorded) {
        try {
            Path p = Path.of(recorded);
            if (p.isAbsolute()) {
                return null;
            }
            Path resolved = root.resolve(p).normalize();
            if (!resolved.startsWith(root) || !isCheckpoint(resolved)) {
                return null;
            }
            return resolved.toRealPath().startsWith(root.toRealPath()) ? resolved : null;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /**
     * For every phase of a compress run (in run order) the checkpoint of the model the phase's numbers describe:
     * its own, or for a phase that saved none (evaluations, a fold with nothing to fold) the latest one before it
     * in the same variant, as the pipeline continues from it. Null for a phase whose model lies outside the run.
     */
    Map<String, Path> modelOfPhase() {
        Map<String, Path> out = new LinkedHashMap<>();
        Path baseline = null;
        Path current = null;
        String variant = "";
        for (Map.Entry<String, JsonNode> e : completed.properties()) {
            String phase = e.getKey();
            int slash = phase.indexOf('/');
            String v = slash < 0 ? "" : phase.substring(0, slash);
            if (!v.equals(variant)) {
                variant = v;
                current = baseline; // every variant starts from the baseline's model
            }
            if (e.getValue().has("checkpoint")) {
                current = inside(e.getValue().get("checkpoint").asText());
            }
            if (phase.equals("baseline")) {
                baseline = current;
            }
            out.put(phase, current);
        }
        return out;
    }

    private static List<Path> checkpointsUnder(Path dir) throws IOException {
        Set<Path> found = new LinkedHashSet<>();
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    // hidden ".NAME.tmp-*" / ".NAME.old-*" folders are leftovers of interrupted saves, never read
                    if (!p.getFileName().toString().startsWith(".") && isCheckpoint(p)) {
                        found.add(p);
                    }
                }
            }
        }
        List<Path> sorted = new ArrayList<>(found);
        sorted.sort(null);
        return sorted;
    }

    /**
     * A JSON file of the run, read as a bounded regular file (a link, FIFO or device is refused, not followed or
     * opened) with the pipeline's strict reader settings.
     */
    static JsonNode json(Path file) throws IOException {
        byte[] bytes = RegularFiles.readBounded(file, MAX_JSON_BYTES, RegularFiles.Links.REFUSE);
        try {
            return RunDirectory.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new MalformedFileException(file.toString(), e.getLocation() == null ? -1 : e.getLocation().getCharOffset(),
                    "not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static List<JsonNode> auditLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        String text = new String(RegularFiles.readBounded(file, MAX_AUDIT_BYTES, RegularFiles.Links.REFUSE), StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                JsonNode n = RunDirectory.parse(lines.get(i));
                if (n == null || !n.isObject()) {
                    throw new MalformedFileException(file + " line " + (i + 1), -1, "expected one JSON object per line");
                }
                out.add(n);
            } catch (JsonProcessingException e) {
                throw new MalformedFileException(file + " line " + (i + 1), -1, "expected one JSON object per line: "
                        + e.getOriginalMessage());
            }
        }
        return out;
    }
}
