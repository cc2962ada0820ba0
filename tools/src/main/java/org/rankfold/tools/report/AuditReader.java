package org.rankfold.tools.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.vbmf.pipeline.RunDirectory;

/**
 * Reads {@code audit.jsonl} for the report as a stream, keeping only what the page shows, so that the
 * memory it needs and the page it makes stay bounded however long the file is: the decomposition record of
 * each (variant, layer) (the last one when a resumed run wrote it twice), at most {@value #MAX_LAYERS} of
 * them; target searches (at most {@value #MAX_SEARCHES}); the last phase-end record of each phase. Spectra
 * longer than {@value #MAX_POINTS} values are down-sampled (first and last values kept, evenly spaced
 * between), with the original indices, count and number above the threshold recorded beside them.
 */
final class AuditReader {
    static final int MAX_LAYERS = 300;
    static final int MAX_SEARCHES = 100;
    static final int MAX_POINTS = 256;
    /** Fields added to an unfolding whose spectrum was down-sampled. */
    static final String INDEX = "singular_value_index";
    static final String TOTAL = "singular_values_total";
    static final String ABOVE = "singular_values_above_threshold";

    private AuditReader() {
    }

    /** The kept records, in the order of their first appearance, and how many decomposition records were left out. */
    record Kept(List<JsonNode> records, long omittedLayers) {
    }

    static Kept read(Path file) throws IOException {
        Map<String, JsonNode> layers = new LinkedHashMap<>();
        Map<String, JsonNode> phaseEnds = new LinkedHashMap<>();
        List<JsonNode> searches = new ArrayList<>();
        List<Object> order = new ArrayList<>(); // keys of layers / phase ends, or search nodes, in file order
        long omitted = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                RegularFiles.newInputStream(file, RegularFiles.Links.REFUSE), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = parse(file, lineNo, line);
                String step = n.path("step").asText();
                if (n.has("layer") && n.has("unfoldings")) {
                    String key = "L" + (n.hasNonNull("variant") ? n.get("variant").asText() : n.path("phase").asText("?"))
                            + "\u0000" + n.path("layer").asText();
                    if (!layers.containsKey(key) && layers.size() >= MAX_LAYERS) {
                        omitted++;
                        continue;
                    }
                    if (!layers.containsKey(key)) {
                        order.add(key);
                    }
                    layers.put(key, compact(n));
                } else if ("target_search".equals(step)) {
                    if (searches.size() < MAX_SEARCHES) {
                        searches.add(n);
                        order.add(n);
                    }
                } else if ("phase_end".equals(step)) {
                    String key = "P" + n.path("phase").asText();
                    if (!phaseEnds.containsKey(key)) {
                        order.add(key);
                    }
                    phaseEnds.put(key, n);
                }
            }
        }
        List<JsonNode> out = new ArrayList<>();
        for (Object o : order) {
            out.add(o instanceof String k ? (k.startsWith("L") ? layers.get(k) : phaseEnds.get(k)) : (JsonNode) o);
        }
        return new Kept(out, omitted);
    }

    private static JsonNode parse(Path file, long lineNo, String line) throws MalformedFileException {
        JsonNode n;
        try {
            n = RunDirectory.parse(line);
        } catch (JsonProcessingException e) {
            throw new MalformedFileException(file + " line " + lineNo, -1, "expected one JSON object per line: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFileException(file + " line " + lineNo, -1, "expected one JSON object per line");
        }
        if (n == null || !n.isObject()) {
            throw new MalformedFileException(file + " line " + lineNo, -1, "expected one JSON object per line");
        }
        return n;
    }

    /** The record with every spectrum of more than {@link #MAX_POINTS} values down-sampled. */
    static JsonNode compact(JsonNode record) {
        for (JsonNode u : record.path("unfoldings")) {
            JsonNode sv = u.path("singular_values");
            if (!(u instanceof ObjectNode uo) || !sv.isArray() || sv.size() <= MAX_POINTS) {
                continue;
            }
            int n = sv.size();
            double threshold = u.path("threshold").asDouble(Double.NaN);
            long above = 0;
            for (JsonNode v : sv) {
                above += v.isNumber() && v.asDouble() > threshold ? 1 : 0;
            }
            ArrayNode values = JsonNodeFactory.instance.arrayNode();
            ArrayNode index = JsonNodeFactory.instance.arrayNode();
            for (int k = 0; k < MAX_POINTS; k++) {
                int i = (int) Math.round((double) k * (n - 1) / (MAX_POINTS - 1));
                values.add(sv.get(i));
                index.add(i + 1);
            }
            uo.set("singular_values", values);
            uo.set(INDEX, index);
            uo.put(TOTAL, n);
            if (Double.isFinite(threshold)) {
                uo.put(ABOVE, above);
            }
        }
        return record;
    }
}
