package org.rankfold.datasets.idx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.AtomicFiles;
import org.rankfold.datasets.io.BoundedInput;

/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun et al., "THE MNIST DATABASE", file format section):
 * a big-endian header {@code 00 00 TYPE NDIMS}, then NDIMS big-endian u32 dimensions, then the values
 * in row-major order. MNIST and Fashion-MNIST use TYPE {@code 0x08} (unsigned byte) only, which is
 * the only type read here. Files may be gzip-compressed ({@code .gz}, detected by content).
 *
 * <p>Hostile input: the product of the dimensions is overflow-checked and compared with what the file
 * can hold (its size, or 1032x its size when compressed) before the data array is allocated, and the
 * content must end exactly after the data. Offsets in errors are in the decompressed content.
 */
public final class IdxFormat {
    /** IDX type code of unsigned bytes. */
    public static final int TYPE_UBYTE = 0x08;
    /** Largest number of dimensions accepted (MNIST uses 1 and 3). */
    public static final int MAX_DIMS = 8;
    /** Largest data we hold in one Java array. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 16;

    private IdxFormat() {
    }

    /** Reads an IDX file, raw or gzip-compressed. */
    public static IdxArray read(Path file) throws IOException {
        try (BoundedInput in = BoundedInput.open(file)) {
            return read(in);
        }
    }

    /** Parses IDX content held in memory (raw or gzip); {@code name} is used in error messages. */
    public static IdxArray parse(byte[] bytes, String name) throws IOException {
        try (BoundedInput in = BoundedInput.of(bytes, name)) {
            return read(in);
        }
    }

    private static IdxArray read(BoundedInput in) throws IOException {
        String name = in.name();
        byte[] magic = in.readExactly(4, "the IDX magic 00 00 TYPE NDIMS");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new MalformedFileException(name, 0, String.format(
                    "the IDX magic starting with 00 00, found %02x %02x (not an IDX file)", magic[0] & 0xff, magic[1] & 0xff));
        }
        int type = magic[2] & 0xff;
        if (type != TYPE_UBYTE) {
            throw new MalformedFileException(name, 2, String.format(
                    "IDX type 0x08 (unsigned byte, as MNIST uses), found 0x%02x", type));
        }
        int ndims = magic[3] & 0xff;
        if (ndims < 1 || ndims > MAX_DIMS) {
            throw new MalformedFileException(name, 3, "between 1 and " + MAX_DIMS + " dimensions, found " + ndims);
        }
        int[] dims = new int[ndims];
        long count = 1;
        for (int i = 0; i < ndims; i++) {
            long at = in.offset();
            long d = in.readUInt32("dimension " + i + " of " + ndims);
            if (d > MAX_ELEMENTS) {
                throw new MalformedFileException(name, at, "dimension " + i + " of at most " + MAX_ELEMENTS + ", found " + d);
            }
            dims[i] = (int) d;
            // saturating product, 0 as soon as one dimension is 0 even after a prefix overflowed (found by IdxFuzzTest)
            count = d == 0 ? 0 : count > Long.MAX_VALUE / d ? Long.MAX_VALUE : count * d;
        }
        if (count > MAX_ELEMENTS) {
            throw new MalformedFileException(name, in.offset(), "at most " + MAX_ELEMENTS + " values, dimensions "
                    + Arrays.toString(dims) + " claim " + (count == Long.MAX_VALUE ? "an overflowing count" : count));
        }
        if (count > in.maxRemaining()) {
            throw new MalformedFileException(name, in.offset(), count + " data bytes for dimensions " + Arrays.toString(dims)
                    + ", but a file of this size holds at most " + in.maxRemaining());
        }
        byte[] data = in.readExactly((int) count, "data for dimensions " + Arrays.toString(dims));
        in.expectEnd(count + " data bytes");
        return new IdxArray(dims, data);
    }

    /** The IDX bytes of an array (uncompressed). */
    public static byte[] toBytes(IdxArray array) {
        int[] dims = array.dims();
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + 4 * dims.length + array.data().length);
        out.write(0);
        out.write(0);
        out.write(TYPE_UBYTE);
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        out.writeBytes(array.data());
        return out.toByteArray();
    }

    /** The gzip-compressed IDX bytes of an array (best compression; deterministic: gzip mtime is 0). */
    public static byte[] toGzipBytes(IdxArray array) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new BestGzipOutputStream(bytes)) {
            gz.write(toBytes(array));
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return bytes.toByteArray();
    }

    /** Writes an IDX file atomically, gzip-compressed when the name ends in {@code .gz}. */
    public static void write(Path file, IdxArray array) throws IOException {
        byte[] bytes = file.getFileName().toString().endsWith(".gz") ? toGzipBytes(array) : toBytes(array);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Java's GZIPOutputStream at the strongest DEFLATE level. */
    private static final class BestGzipOutputStream extends GZIPOutputStream {
        BestGzipOutputStream(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
        }
    }
}
