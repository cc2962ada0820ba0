package org.rankfold.tools.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.tools.UserError;
import org.rankfold.vbmf.pipeline.RunDirectory;

/**
 * What a run directory holds (docs/file-formats.md, written by {@code CompressionPipeline}), read once for
 * the report. Only {@code config.json} is required; a run that is still going (or died) has no
 * {@code summary.json} yet and its report shows what exists. JSON is read with the pipeline's own strict
 * reader (duplicate keys and oversized documents rejected).
 *
 * @param root          the run directory
 * @param config        {@code config.json}
 * @param summary       {@code summary.json}, or null when absent
 * @param progress      {@code progress.json} ({@code completed.<phase>} results), or null when absent
 * @param audit         the records of {@code audit.jsonl}, in file order (empty when absent)
 * @param metrics       the rows of {@code metrics.csv} (empty when absent)
 * @param orthogonality the rows of {@code orthogonality.csv}, or null when the file is absent
 * @param omittedLayers decomposition records of {@code audit.jsonl} beyond what the page shows ({@link AuditReader})
 */
record RunContents(Path root, JsonNode config, JsonNode summary, JsonNode progress, List<JsonNode> audit,
                          List<MetricRow> metrics, List<OrthogonalityRow> orthogonality, long omittedLayers) {

    public RunContents {
        audit = List.copyOf(audit);
        metrics = List.copyOf(metrics);
        orthogonality = orthogonality == null ? null : List.copyOf(orthogonality);
    }

    /**
     * Reads the run directory {@code dir}.
     *
     * @throws UserError              when {@code dir} is not a directory or has no {@code config.json}
     * @throws MalformedFileException when a file is not in the pipeline's format
     */
    static RunContents read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UserError("no such run directory: " + dir);
        }
        Path root = dir.toAbsolutePath().normalize();
        Path config = root.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new UserError("not a run directory (no config.json): " + root
                    + "; create one with './rankfold compress --out " + dir + "'");
        }
        JsonNode cfg = object(config);
        JsonNode summary = Files.isRegularFile(root.resolve("summary.json")) ? object(root.resolve("summary.json")) : null;
        JsonNode progress = Files.isRegularFile(root.resolve("progress.json")) ? object(root.resolve("progress.json")) : null;
        AuditReader.Kept audit = Files.isRegularFile(root.resolve("audit.jsonl")) ? AuditReader.read(root.resolve("audit.jsonl"))
                : new AuditReader.Kept(List.of(), 0);
        List<MetricRow> metrics = Files.isRegularFile(root.resolve("metrics.csv")) ? MetricRow.read(root.resolve("metrics.csv"))
                : List.of();
        Path ortho = root.resolve("orthogonality.csv");
        List<OrthogonalityRow> orthogonality = Files.isRegularFile(ortho) ? OrthogonalityRow.read(ortho) : null;
        return new RunContents(root, cfg, summary, progress, audit.records(), metrics, orthogonality, audit.omittedLayers());
    }

    /** The decomposition records of {@code audit.jsonl} (those with {@code unfoldings}), in file order. */
    public List<JsonNode> decompositions() {
        return audit.stream().filter(r -> r.has("layer") && r.has("unfoldings")).toList();
    }

    /** The target-ratio search records ({@code "step": "target_search"}). */
    public List<JsonNode> targetSearches() {
        return audit.stream().filter(r -> "target_search".equals(r.path("step").asText())).toList();
    }

    /** The phase-end records ({@code "step": "phase_end"}): a phase's result, as in progress.json. */
    public List<JsonNode> phaseEnds() {
        return audit.stream().filter(r -> "phase_end".equals(r.path("step").asText())).toList();
    }

    /** The phases that have rows in {@code metrics.csv}, in order of first appearance. */
    public List<String> trainingPhases() {
        List<String> phases = new ArrayList<>();
        for (MetricRow r : metrics) {
            if (!phases.contains(r.phase())) {
                phases.add(r.phase());
            }
        }
        return phases;
    }

    /** The run's name for labels: the directory's name. */
    public String name() {
        return root.getFileName() == null ? root.toString() : root.getFileName().toString();
    }

    /**
     * The first object among {@code summary.<field>}, {@code config.<field>} and
     * {@code progress.<field>} that exists, else a missing node.
     */
    public JsonNode lookup(String field) {
        for (JsonNode n : new JsonNode[] {summary, config, progress}) {
            if (n != null && n.has(field) && !n.get(field).isNull()) {
                return n.get(field);
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static JsonNode object(Path file) throws IOException {
        // Read as a regular file inside the run (a FIFO, device or link is refused), bounded like the pipeline's reader.
        byte[] bytes = RegularFiles.readBounded(file, 64L << 20, RegularFiles.Links.REFUSE);
        JsonNode n;
        try {
            n = RunDirectory.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new MalformedFileException(file.toString(), e.getLocation() == null ? -1 : e.getLocation().getCharOffset(),
                    "not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new MalformedFileException(file.toString(), 0, "expected a JSON object");
        }
        return n;
    }
}
