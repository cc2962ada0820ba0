package org.rankfold.datasets.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyDtype;

/**
 * Reads the safetensors format (huggingface/safetensors): an unsigned 64-bit little-endian header length
 * {@code n}, {@code n} bytes of UTF-8 JSON (see {@link HeaderParser} for what is validated), then the raw
 * little-endian tensor data. Nothing is allocated beyond the size of the file itself: the header length is
 * capped at {@link #MAX_HEADER_BYTES} and compared with the file size before it is read, and every tensor's
 * range is validated against the data section before any value is loaded.
 */
public final class Safetensors {
    /** The reference implementation's cap on the header (MAX_HEADER_SIZE = 100,000,000). */
    public static final int MAX_HEADER_BYTES = 100_000_000;

    private Safetensors() {
    }

    /** A header and the tensors it describes, in data order. */
    public record Contents(SafetensorsHeader header, Map<String, NpyArray> tensors) {
    }

    /** Reads and validates only the header (cheap even for large files). */
    public static SafetensorsHeader readHeader(Path file) throws IOException {
        try (FileChannel ch = RegularFiles.open(file, RegularFiles.Links.FOLLOW)) {
            return readHeader(ch, file.toString());
        }
    }

    /** Reads a file: header and every tensor (F32, F64, I64, I32 or U8). */
    public static Contents read(Path file) throws IOException {
        String name = file.toString();
        try (FileChannel ch = RegularFiles.open(file, RegularFiles.Links.FOLLOW)) {
            SafetensorsHeader h = readHeader(ch, name);
            Map<String, NpyArray> out = new LinkedHashMap<>();
            for (TensorInfo t : h.tensors()) {
                int[] shape = loadableShape(t, h, name);
                byte[] bytes = new byte[(int) t.byteLength()];
                readFully(ch, ByteBuffer.wrap(bytes), h.dataStart() + t.begin(), name);
                out.put(t.name(), NpyArray.fromLittleEndian(npyType(t, h, name), shape, bytes, 0));
            }
            return new Contents(h, out);
        }
    }

    /** Parses a whole file held in memory; {@code name} is used in errors. */
    public static Contents parse(byte[] bytes, String name) throws MalformedFileException {
        long headerLength = headerLength(bytes.length, bytes.length >= 8
                ? ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() : 0, name);
        byte[] header = Arrays.copyOfRange(bytes, 8, 8 + (int) headerLength);
        SafetensorsHeader h = HeaderParser.parse(header, bytes.length - 8 - headerLength, name);
        Map<String, NpyArray> out = new LinkedHashMap<>();
        for (TensorInfo t : h.tensors()) {
            int[] shape = loadableShape(t, h, name);
            out.put(t.name(), NpyArray.fromLittleEndian(npyType(t, h, name), shape, bytes, (int) (h.dataStart() + t.begin())));
        }
        return new Contents(h, out);
    }

    private static SafetensorsHeader readHeader(FileChannel ch, String name) throws IOException {
        long size = ch.size();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        if (size >= 8) {
            readFully(ch, len, 0, name);
        }
        long n = headerLength(size, len.getLong(0), name);
        byte[] header = new byte[(int) n];
        readFully(ch, ByteBuffer.wrap(header), 8, name);
        return HeaderParser.parse(header, size - 8 - n, name);
    }

    /** Validates the 8-byte header length {@code raw} (unsigned) against the file size. */
    private static long headerLength(long fileSize, long raw, String name) throws MalformedFileException {
        if (fileSize < 8) {
            throw new MalformedFileException(name, 0, "an 8-byte header length, the file has " + fileSize + " bytes");
        }
        if (raw < 0 || raw > MAX_HEADER_BYTES) {
            throw new MalformedFileException(name, 0, "a header length of at most " + MAX_HEADER_BYTES + " bytes, found "
                    + Long.toUnsignedString(raw));
        }
        if (raw > fileSize - 8) {
            throw new MalformedFileException(name, 0, "a header length within the file (" + (fileSize - 8)
                    + " bytes after the length), found " + raw);
        }
        return raw;
    }

    private static NpyDtype npyType(TensorInfo t, SafetensorsHeader h, String name) throws MalformedFileException {
        return t.dtype().npy().orElseThrow(() -> new MalformedFileException(name, h.dataStart() + t.begin(),
                "tensor '" + t.name() + "' of dtype F32, F64, I64, I32 or U8 to load its values, found " + t.dtype()));
    }

    private static int[] loadableShape(TensorInfo t, SafetensorsHeader h, String name) throws MalformedFileException {
        long[] s = t.shape();
        if (t.byteLength() > Integer.MAX_VALUE - 16) {
            throw new MalformedFileException(name, h.dataStart() + t.begin(), "tensor '" + t.name()
                    + "' of under 2 GiB to load it into one array, found " + t.byteLength() + " bytes");
        }
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            // a dimension above 2^31 with a small byte length means another dimension is 0: still not representable
            if (s[i] > Integer.MAX_VALUE) {
                throw new MalformedFileException(name, h.dataStart() + t.begin(), "tensor '" + t.name()
                        + "' with dimensions below 2^31, found " + s[i]);
            }
            out[i] = (int) s[i];
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, String name) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int r = ch.read(dst, at);
            if (r < 0) {
                throw new MalformedFileException(name, at, dst.remaining() + " more bytes, found the end of the file");
            }
            at += r;
        }
    }
}
