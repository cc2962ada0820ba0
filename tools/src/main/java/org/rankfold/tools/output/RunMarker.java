package org.rankfold.tools.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.io.AtomicFiles;
import org.rankfold.datasets.io.RegularFiles;

/**
 * The marker {@value #FILE} that every run directory rankfold creates holds: its format tag, the command
 * that created it, when, and (for {@code train}) the run's settings, so that a run killed before its first
 * checkpoint can still be resumed. A non-empty directory without it was not made by rankfold and is never
 * written into or replaced.
 */
public final class RunMarker {
    /** The marker's name inside a run directory. */
    public static final String FILE = "rankfold-run.json";
    static final String FORMAT = "rankfold-run";
    private static final long MAX_BYTES = 1 << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RunMarker() {
    }

    /** True when {@code dir} holds a marker (a regular file, not a link) with our format tag. */
    public static boolean present(Path dir) {
        return read(dir) != null;
    }

    /** The marker's content, or null when there is none (or it is not ours). */
    public static JsonNode read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            JsonNode n = MAPPER.readTree(RegularFiles.readBounded(f, MAX_BYTES, RegularFiles.Links.REFUSE));
            return n != null && n.isObject() && FORMAT.equals(n.path("format").asText()) ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes the marker of a run created by {@code command}; {@code config} (may be null) is stored verbatim. */
    public static void write(Path dir, String command, JsonNode config) throws IOException {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", FORMAT);
        n.put("version", 1);
        n.put("command", command);
        n.put("created", Instant.now().toString());
        if (config != null) {
            n.set("config", config.deepCopy());
        }
        byte[] bytes = (n.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(FILE), out -> out.write(bytes));
    }
}
