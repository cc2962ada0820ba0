package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.MalformedFileException;

/**
 * JSON of {@code model.json} and {@code state.json}: parsed with bounded size, nesting and string length
 * and with duplicate keys rejected (DESIGN.md section 8), so a hostile file costs at most
 * {@link #MAX_FILE_BYTES} and fails with a {@link MalformedFileException} naming the file and field.
 */
final class CheckpointJson {
    /** Far above any real model description (ResNet-56's is ~60 KB). */
    static final long MAX_FILE_BYTES = 16L << 20;
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20)
                    .maxNumberLength(64).build())
            .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JacksonException e) {
            throw new IllegalStateException("JSON serialization failed", e);
        }
    }

    /** Reads a JSON object from {@code file}. */
    static JsonNode read(Path file, byte[] bytes) throws MalformedFileException {
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new MalformedFileException(file.toString(), 0, "expected a JSON object");
            }
            return n;
        } catch (JacksonException e) {
            long off = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            throw new MalformedFileException(file.toString(), off, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFileException(file.toString(), -1, "invalid JSON: " + e.getMessage());
        }
    }

    /** The bytes of {@code file}, refusing files over {@code cap} bytes before reading them. */
    static byte[] readBounded(Path file, long cap) throws IOException {
        long size = Files.size(file);
        if (size > cap) {
            throw new MalformedFileException(file.toString(), -1, "file of " + size + " bytes exceeds the limit of " + cap);
        }
        return Files.readAllBytes(file);
    }

    // ---- typed field access with errors naming file and field ---------------------------------------

    static JsonNode field(JsonNode n, String name, Path file, String where) throws MalformedFileException {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new MalformedFileException(file.toString(), -1, "missing field '" + where + name + "'");
        }
        return v;
    }

    static String text(JsonNode n, String name, Path file, String where) throws MalformedFileException {
        JsonNode v = field(n, name, file, where);
        if (!v.isTextual()) {
            throw new MalformedFileException(file.toString(), -1, "field '" + where + name + "' must be a string");
        }
        return v.textValue();
    }

    static long integer(JsonNode n, String name, long min, long max, Path file, String where) throws MalformedFileException {
        JsonNode v = field(n, name, file, where);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new MalformedFileException(file.toString(), -1, "field '" + where + name + "' must be an integer in ["
                    + min + ", " + max + "], got " + v);
        }
        return v.longValue();
    }

    static int smallInt(JsonNode n, String name, int min, Path file, String where) throws MalformedFileException {
        return (int) integer(n, name, min, 1 << 20, file, where);
    }

    static double number(JsonNode n, String name, Path file, String where) throws MalformedFileException {
        JsonNode v = field(n, name, file, where);
        if (v.isTextual() && v.textValue().equals("NaN")) {
            return Double.NaN;
        }
        if (!v.isNumber()) {
            throw new MalformedFileException(file.toString(), -1, "field '" + where + name + "' must be a number, got " + v);
        }
        return v.doubleValue();
    }

    static boolean bool(JsonNode n, String name, Path file, String where) throws MalformedFileException {
        JsonNode v = field(n, name, file, where);
        if (!v.isBoolean()) {
            throw new MalformedFileException(file.toString(), -1, "field '" + where + name + "' must be true or false");
        }
        return v.booleanValue();
    }

    /** An array of {@code length} ints (each in [min, 2^20]), or of any length when length is -1. */
    static int[] ints(JsonNode n, String name, int length, int min, Path file, String where) throws MalformedFileException {
        JsonNode v = field(n, name, file, where);
        if (!v.isArray() || (length >= 0 && v.size() != length) || v.size() > 8) {
            throw new MalformedFileException(file.toString(), -1, "field '" + where + name + "' must be an array of "
                    + (length >= 0 ? length + " " : "at most 8 ") + "integers, got " + v);
        }
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < min || e.intValue() > (1 << 20)) {
                throw new MalformedFileException(file.toString(), -1, "field '" + where + name + "[" + i + "]' must be an integer in ["
                        + min + ", 1048576], got " + e);
            }
            out[i] = e.intValue();
        }
        return out;
    }

    /** Writes NaN as the string "NaN" (JSON has no NaN). */
    static void putNumber(ObjectNode n, String name, double v) {
        if (Double.isNaN(v)) {
            n.put(name, "NaN");
        } else {
            n.put(name, v);
        }
    }
}
