package org.rankfold.datasets.npy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.kernels.testing.Golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyFormatTest {

    @Test
    void readsGoldenNpzWrittenByNumpy() throws IOException {
        Map<String, NpyArray> z = Npz.read(Golden.file("grad/linear.npz"));
        NpyArray x = z.get("x");
        NpyArray w = z.get("w");
        assertEquals(NpyDtype.FLOAT64, x.dtype());
        assertEquals(2, x.rank());
        assertEquals(x.dim(1), w.dim(1), "linear input width");
        assertEquals(NpyDtype.FLOAT32, z.get("x_f32").dtype());
        assertEquals(NpyDtype.UINT8, z.get("meta_json").dtype());
        String meta = new String(z.get("meta_json").asBytes(), StandardCharsets.US_ASCII);
        assertTrue(meta.startsWith("{"), meta);
        // float64 inputs hold float32-representable values (testdata/golden/README.md, Format)
        double[] xd = x.asDoubles();
        float[] xf = z.get("x_f32").asFloats();
        for (int i = 0; i < xd.length; i++) {
            assertEquals(xd[i], xf[i], 0.0);
        }
    }

    @Test
    void roundTripsEveryDtypeThroughNpz(@TempDir Path dir) throws IOException {
        Map<String, NpyArray> in = new LinkedHashMap<>();
        in.put("f", NpyArray.ofFloats(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, Float.NaN}));
        in.put("d", NpyArray.ofDoubles(new int[] {3}, new double[] {1e-300, -2, 3.5}));
        in.put("l", NpyArray.ofLongs(new int[] {1}, new long[] {Long.MIN_VALUE}));
        in.put("i", NpyArray.ofInts(new int[] {2}, new long[] {-7, 9}));
        in.put("b", NpyArray.ofBytes(new int[] {2, 1, 2}, new byte[] {0, 1, (byte) 255, 7}));
        in.put("s", NpyArray.ofDoubles(new int[] {}, new double[] {42}));
        Path f = dir.resolve("x.npz");
        Npz.write(f, in);
        Map<String, NpyArray> out = Npz.read(f);
        assertEquals(in.keySet(), out.keySet());
        for (String k : in.keySet()) {
            assertEquals(in.get(k).dtype(), out.get(k).dtype(), k);
            assertArrayEquals(in.get(k).shape(), out.get(k).shape(), k);
            assertArrayEquals(in.get(k).asDoubles(), out.get(k).asDoubles(), k);
        }
    }

    @Test
    void rejectsMalformedHeadersWithFileAndOffset() {
        byte[] good = NpyFormat.toBytes(NpyArray.ofFloats(new int[] {2, 2}, new float[4]));
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> NpyFormat.parse(java.util.Arrays.copyOf(good, good.length - 1), "t.npy"));
        assertTrue(e.getMessage().startsWith("t.npy at offset "), e.getMessage());

        byte[] badMagic = good.clone();
        badMagic[1] = 'X';
        assertThrows(MalformedFileException.class, () -> NpyFormat.parse(badMagic, "m.npy"));

        String huge = "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }";
        assertThrows(MalformedFileException.class, () -> NpyFormat.parse(withHeader(huge), "h.npy"));
        String overflow = "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }";
        MalformedFileException o = assertThrows(MalformedFileException.class,
                () -> NpyFormat.parse(withHeader(overflow), "o.npy"));
        assertTrue(o.getMessage().contains("overflowing"), o.getMessage());
        String code = "{'descr': __import__('os').system('x'), 'fortran_order': False, 'shape': (1,), }";
        assertThrows(MalformedFileException.class, () -> NpyFormat.parse(withHeader(code), "c.npy"));
        String dtype = "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }";
        assertThrows(MalformedFileException.class, () -> NpyFormat.parse(withHeader(dtype), "d.npy"));
    }

    private static byte[] withHeader(String dict) {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = 1;
        out[8] = (byte) h.length;
        out[9] = (byte) (h.length >> 8);
        System.arraycopy(h, 0, out, 10, h.length);
        return out;
    }

    @Test
    void npzRejectsNonZip(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.npz");
        Files.writeString(f, "not a zip");
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Npz.read(f));
        assertTrue(e.getMessage().contains("bad.npz"), e.getMessage());
    }

    /** NpzFuzzTest finding: a deflated entry cut short ends in EOFException, which must become MalformedFileException. */
    @Test
    void npzWithTruncatedDeflateStreamIsMalformed(@TempDir Path dir) throws IOException {
        byte[] npy = NpyFormat.toBytes(NpyArray.ofDoubles(new int[] {64}, new double[64]));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            z.putNextEntry(new java.util.zip.ZipEntry("w.npy"));
            z.write(npy);
            z.closeEntry();
        }
        byte[] zip = out.toByteArray();
        // the deflated data starts after the 30-byte local header and the 5-byte name; cut it in the middle
        // and keep the central directory, so ZipFile opens the archive and fails only while inflating
        int dataStart = 35;
        int cdStart = -1;
        for (int i = zip.length - 46; i >= 0; i--) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
                cdStart = i;
                break;
            }
        }
        byte[] cut = zip.clone();
        // data descriptor and rest of the stream replaced by zeros: an invalid or truncated DEFLATE stream
        java.util.Arrays.fill(cut, dataStart + 4, cdStart, (byte) 0);
        Path f = dir.resolve("cut.npz");
        Files.write(f, cut);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Npz.read(f));
        assertTrue(e.getMessage().contains("cut.npz!w.npy"), e.getMessage());
    }

    /**
     * NpzFuzzTest findings, kept in its regression corpus: a truncated DEFLATE stream (EOFException while
     * inflating) and a central directory that points past the end of the file (EOFException from ZipFile).
     */
    @Test
    void npzFuzzFindingsAreMalformed() throws IOException {
        Path corpus;
        try {
            corpus = Path.of(NpyFormatTest.class.getResource("NpzFuzzTestInputs/read").toURI());
        } catch (java.net.URISyntaxException bad) {
            throw new IllegalStateException(bad);
        }
        java.util.List<Path> crashes;
        try (var s = Files.list(corpus)) {
            crashes = s.filter(p -> p.getFileName().toString().startsWith("crash-")).sorted().toList();
        }
        assertEquals(2, crashes.size(), "findings in " + corpus);
        for (Path crash : crashes) {
            MalformedFileException e = assertThrows(MalformedFileException.class, () -> Npz.read(crash), crash.toString());
            assertTrue(e.getMessage().startsWith(crash.toString()), e.getMessage());
        }
    }

    @Test
    void zeroDimensionMakesAnEmptyArrayWhateverTheOthers() throws MalformedFileException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647, 0), }";
        assertEquals(0, NpyFormat.parse(withHeader(dict), "e.npy").size());
        assertEquals(0, NpyArray.elementCount(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 0}));
        assertEquals(-1, NpyArray.elementCount(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}));
    }
}
