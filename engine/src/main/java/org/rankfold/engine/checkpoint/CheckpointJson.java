package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
import org.rankfold.datasets.io.RegularFiles;

/**
 * JSON of {@code model.json} and {@code state.json}: the file size is checked before reading
 * ({@link #MAX_FILE_BYTES}), the bytes must be valid UTF-8 (the first bad byte is named by its offset), and
 * Jackson parses under stream read constraints (document length, {@link #MAX_TOKENS} tokens, nesting depth,
 * string, name and number lengths) with duplicate keys rejected (docs/file-formats.md). So a hostile file costs
 * a bounded amount of memory (the token cap bounds the tree: ~100 bytes a token at worst) and fails with a
 * {@link MalformedFileException} naming the file and the offset or field.
 */
final class CheckpointJson {
    /** Far above any real model description (ResNet-56's is ~60 KB) or state (one history row per epoch). */
    static final long MAX_FILE_BYTES = 4L << 20;
    /** Tokens (values, names, brackets) in one file: ResNet-56's model.json has ~25,000. */
    static final long MAX_TOKENS = 500_000;
    /** Nesting depth: ResNet's tree is 9 deep (root, stage, block, shortcut, each an object in an array). */
    static final int MAX_DEPTH = 32;
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxStringLength(1 << 16)
                    .maxNameLength(1 << 12).maxNumberLength(64).maxDocumentLength(MAX_FILE_BYTES).maxTokenCount(MAX_TOKENS)
                    .build())
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
        if (bytes.length > MAX_FILE_BYTES) {
            throw new MalformedFileException(file.toString(), -1, "at most " + MAX_FILE_BYTES + " bytes of JSON, found " + bytes.length);
        }
        checkUtf8(file, bytes);
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

    /** Fails at the first byte that is not part of valid UTF-8 (overlong forms and surrogates included), naming its offset. */
    static void checkUtf8(Path file, byte[] bytes) throws MalformedFileException {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult r = dec.decode(in, out, true);
            if (r.isError()) {
                throw new MalformedFileException(file.toString(), in.position(), "JSON must be UTF-8; found an invalid byte sequence"
                        + String.format(java.util.Locale.ROOT, " (0x%02x)", bytes[in.position()] & 0xff));
            }
            if (r.isUnderflow()) {
                break;
            }
            out.clear();
        }
        if (dec.flush(out).isError()) {
            throw new MalformedFileException(file.toString(), bytes.length, "JSON must be UTF-8; the file ends inside a character");
        }
    }

    /**
     * The bytes of {@code file}, a file inside a checkpoint directory: a regular file (a symbolic link, FIFO
     * or device is refused before it is read), of at most {@code cap} bytes counted as they are read.
     */
    static byte[] readBounded(Path file, long cap) throws IOException {
        return RegularFiles.readBounded(file, cap, RegularFiles.Links.REFUSE);
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
