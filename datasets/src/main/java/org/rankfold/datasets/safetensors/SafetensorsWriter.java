package org.rankfold.datasets.safetensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.rankfold.datasets.io.AtomicFiles;
import org.rankfold.datasets.npy.NpyArray;

/**
 * Writes the safetensors format: tensors in the given order, data contiguous from offset 0, the header
 * padded with spaces to a multiple of 8 bytes (as the reference implementation does, so the data is
 * aligned), {@code __metadata__} first when given. Files are replaced atomically (temp file, fsync, rename).
 */
public final class SafetensorsWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} (name to array) and {@code metadata} (may be empty) to {@code file}. */
    public static void write(Path file, Map<String, NpyArray> tensors, Map<String, String> metadata) throws IOException {
        AtomicFiles.write(file, out -> write(out, tensors, metadata));
    }

    /** The bytes of a safetensors file. */
    public static byte[] toBytes(Map<String, NpyArray> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, tensors, metadata);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return out.toByteArray();
    }

    private static void write(OutputStream out, Map<String, NpyArray> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject(HeaderParser.METADATA_KEY);
            metadata.forEach(m::put);
        }
        List<byte[]> payloads = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, NpyArray> e : tensors.entrySet()) {
            if (e.getKey().equals(HeaderParser.METADATA_KEY)) {
                throw new IllegalArgumentException("'" + HeaderParser.METADATA_KEY + "' is reserved and cannot name a tensor");
            }
            NpyArray a = e.getValue();
            byte[] data = a.toLittleEndianBytes();
            ObjectNode t = root.putObject(e.getKey());
            t.put("dtype", SafetensorsDtype.of(a.dtype()).name());
            ArrayNode shape = t.putArray("shape");
            for (int d : a.shape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + data.length);
            offset += data.length;
            payloads.add(data);
        }
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        if (padded > Safetensors.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("safetensors header of " + padded + " bytes exceeds " + Safetensors.MAX_HEADER_BYTES);
        }
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(json);
        out.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
        for (byte[] p : payloads) {
            out.write(p);
        }
    }
}
