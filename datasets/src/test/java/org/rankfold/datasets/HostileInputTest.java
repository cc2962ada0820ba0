package org.rankfold.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.cifar.Cifar10Format;
import org.rankfold.datasets.idx.IdxArray;
import org.rankfold.datasets.idx.IdxFormat;
import org.rankfold.datasets.inspect.FileInspector;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.datasets.safetensors.SafetensorsWriter;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The table of docs/hostile-input.md, as a test: for every format we read, hostile files (truncated, wrong magic, huge
 * dimension counts, negative or overflowing sizes, bad offsets, oversized headers, non-UTF-8 text) are
 * written to disk and read through {@link FileInspector} (what {@code rankfold inspect} runs). Each must
 * fail with one {@link MalformedFileException} whose message names the file and says what was expected,
 * and must allocate far less than a 256 MB budget (measured per thread by the JVM).
 */
class HostileInputTest {
    /** Bytes a reader may allocate while rejecting one small hostile file. */
    static final long MAX_ALLOCATION = 16L << 20;

    record Case(String file, byte[] bytes) {
    }

    private static byte[] npyWithHeader(String dict) {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        return b.array();
    }

    private static byte[] zip(String entry, byte[] content, long claimedSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            ZipEntry e = new ZipEntry(entry);
            e.setMethod(ZipEntry.STORED);
            e.setSize(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            e.setCrc(crc.getValue());
            z.putNextEntry(e);
            z.write(content);
            z.closeEntry();
        }
        byte[] b = out.toByteArray();
        if (claimedSize != content.length) {
            // patch the uncompressed size in the central directory (signature PK\1\2, size at +24)
            for (int i = b.length - 46; i >= 0; i--) {
                if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 1 && b[i + 3] == 2) {
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(i + 24, (int) claimedSize);
                    break;
                }
            }
        }
        return b;
    }

    /** A deflated entry: a small valid .npy followed by {@code zeros} zero bytes (compresses ~1000:1). */
    private static byte[] deflatedBomb(byte[] npy, int zeros) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("w.npy"));
            z.write(npy);
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < zeros / chunk.length; i++) {
                z.write(chunk);
            }
            z.closeEntry();
        }
        return out.toByteArray();
    }

    private static byte[] idxHeader(long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (long d : dims) {
            b.putInt((int) d);
        }
        return b.array();
    }

    private static byte[] safetensors(long length, String header, int data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put(h).array();
    }

    private static byte[] safetensors(String header, int data) {
        return safetensors(header.getBytes(StandardCharsets.UTF_8).length, header, data);
    }

    static List<Case> cases() throws IOException {
        List<Case> c = new ArrayList<>();
        byte[] npy = NpyFormat.toBytes(NpyArray.ofFloats(new int[] {4, 4}, new float[16]));
        c.add(new Case("truncated.npy", Arrays.copyOf(npy, npy.length - 3)));
        c.add(new Case("magic.npy", "PK not numpy at all".getBytes(StandardCharsets.US_ASCII)));
        c.add(new Case("huge-dims.npy", npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2147483647, 2147483647), }")));
        c.add(new Case("many-dims.npy", npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (" + "1, ".repeat(40) + "), }")));
        c.add(new Case("negative.npy", npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }")));
        c.add(new Case("overflow.npy", npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }")));
        byte[] longHeader = npy.clone();
        longHeader[8] = (byte) 0xff;
        longHeader[9] = (byte) 0xff;
        c.add(new Case("header-length.npy", longHeader));

        byte[] npz = zip("w.npy", npy, npy.length);
        c.add(new Case("truncated.npz", Arrays.copyOf(npz, npz.length / 2)));
        c.add(new Case("bomb.npz", zip("w.npy", npy, 0x7fffffff)));
        c.add(new Case("not-npy.npz", zip("w.txt", npy, npy.length)));
        c.add(new Case("bad-entry.npz", zip("w.npy", Arrays.copyOf(npy, 20), 20)));
        c.add(new Case("deflate-bomb.npz", deflatedBomb(npy, 64 << 20)));

        byte[] idx = IdxFormat.toBytes(new IdxArray(new int[] {2, 3, 3}, new byte[18]));
        c.add(new Case("truncated-idx3-ubyte", Arrays.copyOf(idx, idx.length - 1)));
        c.add(new Case("magic-idx3-ubyte", "\u0001\u0002\u0008\u0003aaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII)));
        c.add(new Case("huge-idx3-ubyte", idxHeader(1L << 30, 28, 28)));
        c.add(new Case("huge-idx3-ubyte.gz", IdxFormat.toGzipBytes(new IdxArray(new int[] {1}, new byte[1])).length > 0
                ? gzip(idxHeader(60000, 28, 28)) : new byte[0]));
        c.add(new Case("negative-idx1-ubyte", idxHeader(0xffffffffL)));
        c.add(new Case("overflow-idx3-ubyte", idxHeader(0x7fff0000, 0x7fff0000, 0x7fff0000)));
        c.add(new Case("dims-idx9-ubyte", new byte[] {0, 0, 8, (byte) 200}));
        byte[] gz = IdxFormat.toGzipBytes(new IdxArray(new int[] {2, 3, 3}, new byte[18]));
        c.add(new Case("truncated-idx3-ubyte.gz", Arrays.copyOf(gz, gz.length - 10)));

        byte[] cifar = Cifar10Format.toBytes(new int[] {1, 2}, new byte[2 * 3072]);
        c.add(new Case("truncated_batch.bin", Arrays.copyOf(cifar, cifar.length - 1)));
        byte[] label = cifar.clone();
        label[3073] = (byte) 200;
        c.add(new Case("label_batch.bin", label));

        byte[] st = SafetensorsWriter.toBytes(Map.of("w", NpyArray.ofFloats(new int[] {2}, new float[2])), Map.of());
        c.add(new Case("truncated.safetensors", Arrays.copyOf(st, st.length - 1)));
        c.add(new Case("length-2^60.safetensors", safetensors(1L << 60, "{}", 0)));
        c.add(new Case("magic.safetensors", safetensors("[\"not an object\"]", 0)));
        c.add(new Case("overlap.safetensors", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)));
        c.add(new Case("out-of-range.safetensors", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[1000000000],"
                + "\"data_offsets\":[0,4000000000]}}", 8)));
        c.add(new Case("negative.safetensors", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8)));
        c.add(new Case("overflow.safetensors", safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[9223372036854775807,4],"
                + "\"data_offsets\":[0,8]}}", 8)));
        byte[] utf = safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        utf[10] = (byte) 0xff;
        c.add(new Case("utf8.safetensors", utf));
        c.add(new Case("duplicate.safetensors", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
        c.add(new Case("deep.safetensors", safetensors("{\"__metadata__\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 0)));
        return c;
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void everyHostileFileIsOneClearErrorWithBoundedAllocation(@TempDir Path dir) throws IOException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        List<String> problems = new ArrayList<>();
        // -Drankfold.hostile.dir=DIR keeps the files there, e.g. to run `rankfold inspect` on them under -Xmx256m
        String keep = System.getProperty("rankfold.hostile.dir");
        Path where = keep == null ? dir : Files.createDirectories(Path.of(keep));
        for (Case k : cases()) {
            Path f = where.resolve(k.file());
            Files.write(f, k.bytes());
            long before = mx.getThreadAllocatedBytes(tid);
            try {
                FileInspector.inspect(f);
                problems.add(k.file() + ": accepted");
            } catch (MalformedFileException e) {
                long allocated = mx.getThreadAllocatedBytes(tid) - before;
                String m = e.getMessage();
                if (Boolean.getBoolean("rankfold.hostile.print")) { // the measured table of docs/hostile-input.md
                    System.out.printf("%-28s %6.2f MB  %s%n", k.file(), allocated / 1048576.0, m);
                }
                if (!m.startsWith(f.toString()) || m.lines().count() != 1 || !m.contains(": ")) {
                    problems.add(k.file() + ": message does not name the file in one line: " + m);
                }
                if (allocated > MAX_ALLOCATION) {
                    problems.add(k.file() + ": allocated " + allocated + " bytes");
                }
            } catch (IOException | RuntimeException e) {
                problems.add(k.file() + ": " + e);
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
        assertTrue(cases().size() >= 30);
    }
}
