package org.rankfold.datasets.safetensors;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.rankfold.datasets.MalformedFileException;

/**
 * Parses and validates the JSON header of a safetensors file, with the rules of the reference
 * implementation (huggingface/safetensors, {@code SafeTensors::read_metadata} and {@code Metadata::validate}):
 * valid UTF-8 starting with '{'; a JSON object whose keys are tensor names (no duplicates) mapping to
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}}, plus an optional {@code "__metadata__"} object of
 * strings; sorted by offset the tensors are contiguous from 0 with no gap or overlap, each range holds
 * exactly {@code product(shape) * dtype size} bytes (computed without overflow), and the last one ends where
 * the data section ends.
 *
 * <p>Jackson reads the JSON under stream read constraints (document, string, number and nesting limits) with
 * strict duplicate detection, so a hostile header can cost at most its own size in memory.
 */
final class HeaderParser {
    static final String METADATA_KEY = "__metadata__";
    private static final int MAX_NESTING = 8;
    private static final int MAX_NUMBER_CHARS = 32;
    /** Longest name or metadata string: far above any real parameter name, far below the header cap. */
    private static final int MAX_STRING_CHARS = 1 << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxDocumentLength(Safetensors.MAX_HEADER_BYTES)
                            .maxNestingDepth(MAX_NESTING)
                            .maxNumberLength(MAX_NUMBER_CHARS)
                            .maxStringLength(MAX_STRING_CHARS)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private HeaderParser() {
    }

    /**
     * Validates {@code header} (the bytes after the 8-byte length) against a data section of {@code dataBytes}.
     * Offsets in errors are file offsets.
     */
    static SafetensorsHeader parse(byte[] header, long dataBytes, String name) throws MalformedFileException {
        checkUtf8(header, name);
        if (header.length == 0 || header[0] != '{') {
            throw new MalformedFileException(name, 8, "a JSON header starting with '{'"
                    + (header.length == 0 ? ", found an empty header" : String.format(", found byte 0x%02x", header[0] & 0xff)));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        // Top level streamed so that every entry's error can name the file offset of its key; each value is
        // read as a tree (duplicate keys rejected at both levels).
        try (JsonParser p = MAPPER.createParser(header)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFileException(name, 8, "a JSON object as the header");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                long at = 8 + Math.max(0, p.currentTokenLocation().getByteOffset());
                p.nextToken();
                JsonNode value = MAPPER.readTree(p);
                if (key.equals(METADATA_KEY)) {
                    readMetadata(value, metadata, name, at);
                } else {
                    tensors.add(readTensor(key, value, name, at));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new MalformedFileException(name, 8 + Math.max(0, p.currentTokenLocation().getByteOffset()),
                        "the end of the JSON header after its object");
            }
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            long offset = at == null || at.getByteOffset() < 0 ? 8 : 8 + at.getByteOffset();
            throw new MalformedFileException(name, offset, "a valid JSON header without duplicate keys (" + e.getOriginalMessage() + ")");
        } catch (MalformedFileException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new MalformedFileException(name, 8, "a readable JSON header (" + e.getMessage() + ")");
        }
        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        long dataStart = 8L + header.length;
        for (TensorInfo t : tensors) {
            if (t.begin() != expected) {
                throw new MalformedFileException(name, dataStart + Math.min(expected, t.begin()), "tensor '" + t.name()
                        + "' to start at data offset " + expected + " (offsets contiguous from 0, no gaps or overlaps), found "
                        + t.begin());
            }
            if (t.end() < t.begin()) {
                throw new MalformedFileException(name, dataStart + t.begin(), "tensor '" + t.name() + "' to end at or after its start "
                        + t.begin() + ", found " + t.end());
            }
            long bytes = byteSize(t, name, dataStart);
            if (bytes != t.end() - t.begin()) {
                throw new MalformedFileException(name, dataStart + t.begin(), "tensor '" + t.name() + "' of shape "
                        + java.util.Arrays.toString(t.shape()) + " " + t.dtype() + " to span " + bytes + " bytes, its offsets span "
                        + (t.end() - t.begin()));
            }
            expected = t.end();
        }
        if (expected != dataBytes) {
            throw new MalformedFileException(name, dataStart + Math.min(expected, dataBytes), "tensor data ending at the end of the file ("
                    + dataBytes + " data bytes), the last tensor ends at data offset " + expected);
        }
        return new SafetensorsHeader(tensors, metadata, header.length);
    }

    private static long byteSize(TensorInfo t, String name, long dataStart) throws MalformedFileException {
        long n = t.dtype().size();
        for (long d : t.shape()) {
            if (d != 0 && n > Long.MAX_VALUE / d) {
                throw new MalformedFileException(name, dataStart + t.begin(), "tensor '" + t.name() + "' with a size below 2^63 bytes, shape "
                        + java.util.Arrays.toString(t.shape()) + " overflows");
            }
            n *= d;
        }
        return n;
    }

    private static void readMetadata(JsonNode node, Map<String, String> out, String name, long at) throws MalformedFileException {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new MalformedFileException(name, at, "'" + METADATA_KEY + "' to be an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new MalformedFileException(name, at, "'" + METADATA_KEY + "' to map strings to strings; '" + e.getKey()
                        + "' maps to " + e.getValue().getNodeType());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static TensorInfo readTensor(String key, JsonNode node, String name, long at) throws MalformedFileException {
        String where = "tensor '" + key + "'";
        if (!node.isObject()) {
            throw new MalformedFileException(name, at, where + " to be an object with dtype, shape and data_offsets");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String k = e.getKey();
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new MalformedFileException(name, at, where + " to have only dtype, shape and data_offsets, found '" + k + "'");
            }
        }
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isTextual()) {
            throw new MalformedFileException(name, at, where + " to have a string dtype");
        }
        SafetensorsDtype dt = SafetensorsDtype.parse(dtype.textValue()).orElseThrow(() -> new MalformedFileException(name, at,
                where + " to have a safetensors dtype (F32, F64, I64, ...), found '" + dtype.textValue() + "'"));
        JsonNode shape = node.get("shape");
        if (shape == null || !shape.isArray()) {
            throw new MalformedFileException(name, at, where + " to have a shape array");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = nonNegativeLong(shape.get(i), where + " shape[" + i + "]", name, at);
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw new MalformedFileException(name, at, where + " to have data_offsets [begin, end]");
        }
        long begin = nonNegativeLong(offsets.get(0), where + " data_offsets[0]", name, at);
        long end = nonNegativeLong(offsets.get(1), where + " data_offsets[1]", name, at);
        return new TensorInfo(key, dt, dims, begin, end);
    }

    private static long nonNegativeLong(JsonNode n, String what, String name, long at) throws MalformedFileException {
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new MalformedFileException(name, at, what + " to be an integer in 0..2^63-1, found " + n);
        }
        return n.longValue();
    }

    /** Fails at the first byte that is not part of valid UTF-8, naming its file offset. */
    private static void checkUtf8(byte[] header, String name) throws MalformedFileException {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(header);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(4096);
        while (true) {
            CoderResult r = dec.decode(in, out, true);
            if (r.isError()) {
                throw new MalformedFileException(name, 8L + in.position(), "a UTF-8 JSON header, found an invalid byte sequence");
            }
            if (r.isUnderflow()) {
                break;
            }
            out.clear();
        }
        try {
            CoderResult r = dec.flush(out);
            if (r.isError()) {
                r.throwException();
            }
        } catch (CharacterCodingException e) {
            throw new MalformedFileException(name, 8L + header.length, "a UTF-8 JSON header, found a truncated sequence at its end");
        }
    }
}
