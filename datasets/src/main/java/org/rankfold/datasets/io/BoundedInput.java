package org.rankfold.datasets.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.rankfold.datasets.MalformedFileException;

/**
 * Reads a file that may be gzip-compressed (detected by its magic bytes {@code 1f 8b}, not by its name)
 * while keeping track of the offset in the decompressed stream, so that errors can name it, and of an
 * upper bound on how many bytes the stream can hold, so that a header claiming more can be refused
 * before anything is allocated.
 *
 * <p>The bound for gzip comes from DEFLATE itself: one compressed byte expands to at most 1032
 * (RFC 1951: a 258-byte match costs at least 2 bits), so a gzip file of {@code n} bytes holds at most
 * {@code 1032 * n} bytes of content, whatever its header claims.
 */
public final class BoundedInput implements AutoCloseable {
    /** Worst-case DEFLATE expansion ratio (zlib technical notes: 1032:1). */
    public static final long MAX_DEFLATE_RATIO = 1032;

    private final InputStream in;
    private final String name;
    private final boolean gzip;
    private final long maxBytes;
    private long offset;

    private BoundedInput(InputStream in, String name, boolean gzip, long maxBytes) {
        this.in = in;
        this.name = name;
        this.gzip = gzip;
        this.maxBytes = maxBytes;
    }

    /** Opens a file, raw or gzip-compressed. */
    public static BoundedInput open(Path file) throws IOException {
        long size = RegularFiles.requireRegular(file, RegularFiles.Links.FOLLOW).size();
        InputStream raw = new BufferedInputStream(RegularFiles.newInputStream(file, RegularFiles.Links.FOLLOW), 1 << 16);
        try {
            return wrap(raw, size, file.toString());
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Wraps in-memory file content, raw or gzip-compressed (used by tests and fuzzing). */
    public static BoundedInput of(byte[] bytes, String name) throws IOException {
        return wrap(new java.io.ByteArrayInputStream(bytes), bytes.length, name);
    }

    private static BoundedInput wrap(InputStream raw, long size, String name) throws IOException {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BoundedInput(new GZIPInputStream(raw, 1 << 16), name + " (decompressed)", true,
                        size > Long.MAX_VALUE / MAX_DEFLATE_RATIO ? Long.MAX_VALUE : size * MAX_DEFLATE_RATIO);
            } catch (ZipException | EOFException e) {
                throw new MalformedFileException(name, 0, "a valid gzip header (" + e.getMessage() + ")");
            }
        }
        return new BoundedInput(raw, name, false, size);
    }

    /** The name to use in error messages (the file, marked when it is the decompressed content). */
    public String name() {
        return name;
    }

    public boolean isGzip() {
        return gzip;
    }

    /** Offset of the next byte in the (decompressed) content. */
    public long offset() {
        return offset;
    }

    /** Upper bound on the bytes left: exact for raw files, the DEFLATE bound for gzip. */
    public long maxRemaining() {
        return maxBytes - offset;
    }

    /** Reads exactly {@code n} bytes, or fails naming the offset where the content ended. */
    public byte[] readExactly(int n, String what) throws IOException {
        if (n < 0 || n > maxRemaining()) {
            throw new MalformedFileException(name, offset, what + " (" + n + " bytes), but at most "
                    + Math.max(0, maxRemaining()) + " can follow in a file of this size");
        }
        byte[] b;
        try {
            b = in.readNBytes(n);
        } catch (ZipException | EOFException e) {
            throw new MalformedFileException(name, offset, what + ", found corrupt gzip data (" + e.getMessage() + ")");
        }
        if (b.length != n) {
            throw new MalformedFileException(name, offset + b.length, what + " (" + n + " bytes from offset "
                    + offset + "), found the end of the file after " + b.length);
        }
        offset += n;
        return b;
    }

    /** Reads a big-endian unsigned 32-bit integer. */
    public long readUInt32(String what) throws IOException {
        byte[] b = readExactly(4, what);
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }

    /** Fails unless the content ends here. */
    public void expectEnd(String what) throws IOException {
        int next;
        try {
            next = in.read();
        } catch (ZipException | EOFException e) {
            throw new MalformedFileException(name, offset, "the end of " + what + ", found corrupt gzip data (" + e.getMessage() + ")");
        }
        if (next != -1) {
            throw new MalformedFileException(name, offset, "the end of the file after " + what + ", found more bytes");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
