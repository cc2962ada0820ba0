package org.rankfold.datasets.npy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.RegularFiles;

/**
 * NumPy's {@code .npy} format (versions 1.0, 2.0, 3.0): magic {@code \x93NUMPY}, version, header
 * length (u16 for 1.0, u32 after), an ASCII Python-dict header {@code {'descr': '<f4',
 * 'fortran_order': False, 'shape': (2, 3), }} padded with spaces to a multiple of 64, then the raw
 * little-endian C-order data.
 *
 * <p>Hostile input: the header is parsed as data by a small tokenizer (nothing is evaluated), its
 * length is capped, every dimension and the element count are checked for overflow and against the
 * bytes actually present before anything is allocated.
 */
public final class NpyFormat {
    /** Largest header we accept; NumPy itself writes a few hundred bytes. */
    public static final int MAX_HEADER_BYTES = 1 << 16;
    /** Largest number of dimensions we accept (NumPy's own limit is 64). */
    public static final int MAX_DIMS = 32;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private NpyFormat() {
    }

    /** Reads one .npy file. Files larger than {@code Integer.MAX_VALUE - 64} bytes are refused. */
    public static NpyArray read(Path file) throws IOException {
        return parse(RegularFiles.readBounded(file, Integer.MAX_VALUE - 64, RegularFiles.Links.FOLLOW), file.toString());
    }

    /** Parses .npy bytes; {@code name} is used in error messages. */
    public static NpyArray parse(byte[] bytes, String name) throws MalformedFileException {
        Layout l = layout(bytes, name);
        long available = bytes.length - l.dataStart();
        long dataBytes = l.dataBytes();
        if (dataBytes < 0 || dataBytes > available) {
            throw new MalformedFileException(name, l.dataStart(), "data for shape " + java.util.Arrays.toString(l.header().shape)
                    + " (" + (dataBytes < 0 ? "overflowing" : dataBytes) + " bytes of " + l.header().dtype.descr()
                    + "), but only " + available + " bytes follow");
        }
        if (dataBytes != available) {
            throw new MalformedFileException(name, l.dataStart() + dataBytes, "end of data after "
                    + dataBytes / l.header().dtype.size() + " elements, found " + (available - dataBytes) + " extra bytes");
        }
        return NpyArray.fromLittleEndian(l.header().dtype, l.header().shape, bytes, (int) l.dataStart());
    }

    /**
     * The total length in bytes of the .npy file that starts with {@code prefix}, from its header alone;
     * {@code prefix} must hold the whole header (at most {@code 12 + MAX_HEADER_BYTES} bytes suffice). Lets a
     * container check an entry's declared size before reading its data.
     *
     * @throws MalformedFileException if the header is malformed or the length overflows
     */
    public static long encodedLength(byte[] prefix, String name) throws MalformedFileException {
        Layout l = layout(prefix, name);
        long dataBytes = l.dataBytes();
        if (dataBytes < 0 || dataBytes > Long.MAX_VALUE - l.dataStart()) {
            throw new MalformedFileException(name, l.dataStart(), "a data size below 2^63 bytes for shape "
                    + java.util.Arrays.toString(l.header().shape));
        }
        return l.dataStart() + dataBytes;
    }

    /** Where the data starts and what the header says. */
    private record Layout(Header header, long dataStart) {
        /** Bytes of data the header describes; -1 if that overflows. */
        long dataBytes() {
            long count = NpyArray.elementCount(header.shape);
            return count < 0 || count > Long.MAX_VALUE / header.dtype.size() ? -1 : count * header.dtype.size();
        }
    }

    private static Layout layout(byte[] bytes, String name) throws MalformedFileException {
        if (bytes.length < 10) {
            throw new MalformedFileException(name, 0, ".npy magic and header length (10 bytes), file has " + bytes.length);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new MalformedFileException(name, 0, "the .npy magic \\x93NUMPY");
            }
        }
        int major = bytes[6] & 0xff;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new MalformedFileException(name, 8, "a 4-byte header length");
            }
            headerLen = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new MalformedFileException(name, 6, "format version 1, 2 or 3, found " + major);
        }
        if (headerLen > MAX_HEADER_BYTES) {
            throw new MalformedFileException(name, 8, "a header of at most " + MAX_HEADER_BYTES + " bytes, found " + headerLen);
        }
        if (headerStart + headerLen > bytes.length) {
            throw new MalformedFileException(name, 8, "a header of " + headerLen + " bytes, but only "
                    + (bytes.length - headerStart) + " follow");
        }
        String header = new String(bytes, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = Header.parse(header, name, headerStart);
        if (h.fortranOrder && h.shape.length > 1) {
            throw new MalformedFileException(name, headerStart, "fortran_order False (C order); Fortran-ordered arrays are not supported");
        }
        return new Layout(h, headerStart + headerLen);
    }

    /** Writes one array in format 1.0 (2.0 if the header would not fit). */
    public static void write(NpyArray array, OutputStream out) throws IOException {
        StringBuilder shape = new StringBuilder("(");
        int[] s = array.shape();
        for (int i = 0; i < s.length; i++) {
            shape.append(s[i]).append(s.length == 1 ? "," : (i + 1 < s.length ? ", " : ""));
        }
        shape.append(')');
        String dict = "{'descr': '" + array.dtype().descr() + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pre = 10;
        int total = pre + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        boolean v2 = padded - pre > 0xffff;
        if (v2) {
            pre = 12;
            total = pre + dict.length() + 1;
            padded = (total + 63) / 64 * 64;
        }
        byte[] header = (dict + " ".repeat(padded - total) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer head = ByteBuffer.allocate(pre).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) {
            head.putInt(header.length);
        } else {
            head.putShort((short) header.length);
        }
        out.write(head.array());
        out.write(header);
        out.write(array.toLittleEndianBytes());
    }

    /** The .npy bytes of one array. */
    public static byte[] toBytes(NpyArray array) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(array, out);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return out.toByteArray();
    }

    /** The parsed header dict. */
    private record Header(NpyDtype dtype, boolean fortranOrder, int[] shape) {

        static Header parse(String text, String name, long offset) throws MalformedFileException {
            Tokens t = new Tokens(text, name, offset);
            t.expect('{');
            String descr = null;
            Boolean fortran = null;
            int[] shape = null;
            while (!t.peekIs('}')) {
                String key = t.string();
                t.expect(':');
                switch (key) {
                    case "descr" -> {
                        if (descr != null) {
                            throw t.error("no duplicate key 'descr'");
                        }
                        descr = t.string();
                    }
                    case "fortran_order" -> {
                        if (fortran != null) {
                            throw t.error("no duplicate key 'fortran_order'");
                        }
                        fortran = t.bool();
                    }
                    case "shape" -> {
                        if (shape != null) {
                            throw t.error("no duplicate key 'shape'");
                        }
                        shape = t.shape();
                    }
                    default -> throw t.error("only the keys descr, fortran_order, shape; found '" + key + "'");
                }
                if (!t.peekIs('}')) {
                    t.expect(',');
                }
            }
            t.expect('}');
            if (descr == null || fortran == null || shape == null) {
                throw t.error("the keys descr, fortran_order and shape");
            }
            String d = descr;
            NpyDtype dtype = NpyDtype.fromDescr(d).orElseThrow(() -> new MalformedFileException(name, offset,
                    "dtype <f4, <f8, <i8, <i4 or |u1, found '" + d + "'"));
            return new Header(dtype, fortran, shape);
        }
    }

    /** A tokenizer for the header's tiny subset of Python literals. */
    private static final class Tokens {
        private final String s;
        private final String name;
        private final long base;
        private int i;

        Tokens(String s, String name, long base) {
            this.s = s;
            this.name = name;
            this.base = base;
        }

        MalformedFileException error(String expected) {
            return new MalformedFileException(name, base + i, "in the .npy header, expected " + expected);
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        boolean peekIs(char c) throws MalformedFileException {
            skipSpace();
            if (i >= s.length()) {
                throw error("'" + c + "' or more, found the end of the header");
            }
            return s.charAt(i) == c;
        }

        void expect(char c) throws MalformedFileException {
            skipSpace();
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("'" + c + "'");
            }
            i++;
        }

        String string() throws MalformedFileException {
            skipSpace();
            if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) {
                throw error("a quoted string");
            }
            char q = s.charAt(i++);
            int start = i;
            while (i < s.length() && s.charAt(i) != q) {
                i++;
            }
            if (i >= s.length()) {
                throw error("a closing quote");
            }
            return s.substring(start, i++);
        }

        boolean bool() throws MalformedFileException {
            skipSpace();
            if (s.startsWith("True", i)) {
                i += 4;
                return true;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return false;
            }
            throw error("True or False");
        }

        int[] shape() throws MalformedFileException {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            while (!peekIs(')')) {
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    throw error("a non-negative dimension");
                }
                if (i - start > 10) {
                    throw error("a dimension below 2^31");
                }
                long d = Long.parseLong(s.substring(start, i));
                if (d > Integer.MAX_VALUE) {
                    throw error("a dimension below 2^31, found " + d);
                }
                dims.add((int) d);
                if (dims.size() > MAX_DIMS) {
                    throw error("at most " + MAX_DIMS + " dimensions");
                }
                if (!peekIs(')')) {
                    expect(',');
                }
            }
            expect(')');
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
