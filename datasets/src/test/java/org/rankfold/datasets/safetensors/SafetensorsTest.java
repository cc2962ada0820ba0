package org.rankfold.datasets.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyDtype;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest extends SeededTest {

    /** A file with this header text and {@code data} bytes; the length field says {@code headerLength}. */
    static byte[] file(long headerLength, String header, int data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(h);
        return b.array();
    }

    static byte[] file(String header, int data) {
        return file(header.getBytes(StandardCharsets.UTF_8).length, header, data);
    }

    private static MalformedFileException malformed(byte[] bytes) {
        return assertThrows(MalformedFileException.class, () -> Safetensors.parse(bytes, "m.safetensors"));
    }

    @Test
    void roundTripsTensorsAndMetadataThroughAFile(@TempDir Path dir) throws IOException {
        Map<String, NpyArray> in = new LinkedHashMap<>();
        in.put("conv1.weight", NpyArray.ofFloats(new int[] {2, 1, 3, 3}, uniform(random(), 18)));
        in.put("bn1.running_mean", NpyArray.ofDoubles(new int[] {2}, new double[] {0.5, Double.NaN}));
        in.put("bn1.num_batches_tracked", NpyArray.ofLongs(new int[] {}, new long[] {42}));
        in.put("idx", NpyArray.ofInts(new int[] {3}, new long[] {-1, 0, 7}));
        in.put("mask", NpyArray.ofBytes(new int[] {2, 2}, new byte[] {0, 1, (byte) 200, 3}));
        in.put("empty", NpyArray.ofFloats(new int[] {0, 5}, new float[0]));
        Path f = dir.resolve("weights.safetensors");
        SafetensorsWriter.write(f, in, Map.of("format", "pt"));
        assertEquals(0, (Files.size(f) - 8 - Safetensors.readHeader(f).dataLength()) % 8, "header padded to 8 bytes");
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(Map.of("format", "pt"), c.header().metadata());
        assertEquals(in.keySet().stream().sorted().toList(), c.tensors().keySet().stream().sorted().toList());
        for (String k : in.keySet()) {
            NpyArray a = in.get(k);
            NpyArray b = c.tensors().get(k);
            assertEquals(a.dtype(), b.dtype(), k);
            assertArrayEquals(a.shape(), b.shape(), k);
            assertArrayEquals(a.asDoubles(), b.asDoubles(), k);
        }
        assertArrayEquals(new long[] {1, 0}, c.tensors().get("bn1.running_mean").nonFiniteCounts());
        // the in-memory parser agrees with the file reader
        assertEquals(c.header(), Safetensors.parse(Files.readAllBytes(f), f.toString()).header());
    }

    @Test
    void readsAHeaderAsThePythonLibraryWritesIt() throws MalformedFileException {
        // safetensors.torch.save_file({"b": zeros(2), "a": ones(1, dtype=float64)}, metadata={"format": "pt"}) lays out
        // tensors by dtype size then name, with keys sorted in the header: data order differs from key order.
        String h = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        String padded = h + " ".repeat((8 - h.length() % 8) % 8);
        byte[] bytes = file(padded, 16);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble(8 + padded.length(), 1.0);
        Safetensors.Contents c = Safetensors.parse(bytes, "py.safetensors");
        assertEquals(1.0, c.tensors().get("a").scalar());
        assertEquals(NpyDtype.FLOAT32, c.tensors().get("b").dtype());
        assertEquals(List.of("a", "b"), c.header().tensors().stream().map(TensorInfo::name).toList());
    }

    @Test
    void headerLengthIsCappedAndCheckedAgainstTheFile() {
        MalformedFileException huge = malformed(file(1L << 60, "{}", 0));
        assertEquals(0, huge.offset());
        assertTrue(huge.getMessage().contains("at most 100000000 bytes, found 1152921504606846976"), huge.getMessage());
        assertTrue(malformed(file(-1L, "{}", 0)).getMessage().contains("found 18446744073709551615"));
        assertTrue(malformed(file(100, "{}", 0)).getMessage().contains("within the file"));
        assertEquals(0, malformed(new byte[5]).offset());
        MalformedFileException start = malformed(file("[1]", 0));
        assertEquals(8, start.offset());
        assertTrue(start.getMessage().contains("starting with '{'"), start.getMessage());
        assertTrue(malformed(file(0, "", 0)).getMessage().contains("empty header"));
    }

    @Test
    void rejectsNonUtf8AndInvalidJson() {
        byte[] bad = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", 4);
        bad[8 + 2] = (byte) 0xC3;  // a lone lead byte inside the key
        bad[8 + 3] = '"';
        MalformedFileException u = malformed(bad);
        assertEquals(10, u.offset());
        assertTrue(u.getMessage().contains("UTF-8"), u.getMessage());
        assertTrue(malformed(file("{\"a\":", 0)).getMessage().contains("valid JSON"));
        assertTrue(malformed(file("{} {}", 0)).getMessage().contains("the end of the JSON header"));
        assertTrue(malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[[[[[[[[[[1]]]]]]]]]],\"data_offsets\":[0,4]}}", 4))
                .getMessage().contains("valid JSON"), "nesting limit");
        assertTrue(malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4))
                .getMessage().contains("only dtype, shape and data_offsets"));
    }

    @Test
    void rejectsDuplicateKeys() {
        String t = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        MalformedFileException d = malformed(file("{\"w\":" + t + ",\"w\":" + t + "}", 4));
        assertTrue(d.getMessage().contains("duplicate"), d.getMessage());
        assertTrue(d.offset() > 8, "offset of the repeated key: " + d.offset());
        malformed(file("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        malformed(file("{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", 0));
    }

    @Test
    void rejectsGapsOverlapsAndOutOfRangeOffsets() throws MalformedFileException {
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[%d,%d]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[%d,%d]}}";
        assertEquals(2, Safetensors.parse(file(String.format(two, 0, 8, 8, 12), 12), "ok").tensors().size());
        MalformedFileException overlap = malformed(file(String.format(two, 0, 8, 4, 8), 12));
        assertTrue(overlap.getMessage().contains("contiguous"), overlap.getMessage());
        assertTrue(malformed(file(String.format(two, 0, 8, 12, 16), 16)).getMessage().contains("start at data offset 8"), "gap");
        assertTrue(malformed(file(String.format(two, 4, 12, 12, 16), 16)).getMessage().contains("start at data offset 0"), "not from 0");
        assertTrue(malformed(file(String.format(two, 0, 8, 8, 12), 20)).getMessage().contains("end of the file"), "extra data");
        assertTrue(malformed(file(String.format(two, 0, 8, 8, 12), 10)).getMessage().contains("end of the file"), "beyond the file");
        assertTrue(malformed(file(String.format(two, 0, 8, 8, 4), 12)).getMessage().contains("end at or after"), "end < begin");
        assertTrue(malformed(file(String.format(two, 0, 4, 4, 8), 8)).getMessage().contains("to span 8 bytes"), "size mismatch");
        MalformedFileException neg = malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 0));
        assertTrue(neg.getMessage().contains("0..2^63-1"), neg.getMessage());
        malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,18446744073709551615]}}", 4));
        malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4));
        malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4));
    }

    @Test
    void rejectsOverflowingShapesAndUnknownDtypes() {
        MalformedFileException o = malformed(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8));
        assertTrue(o.getMessage().contains("overflows"), o.getMessage());
        MalformedFileException neg = malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4));
        assertTrue(neg.getMessage().contains("shape[0]"), neg.getMessage());
        MalformedFileException dtype = malformed(file("{\"__metadata__\":{},\"a\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        assertTrue(dtype.getMessage().contains("F33"), dtype.getMessage());
        assertEquals(8 + 19, dtype.offset(), "file offset of the key \"a\"");
        // a valid BF16 header can be inspected but not loaded as values
        byte[] bf16 = file("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4);
        assertTrue(malformed(bf16).getMessage().contains("to load its values, found BF16"));
        assertTrue(malformed(file("{\"__metadata__\":{\"k\":1}}", 0)).getMessage().contains("strings to strings"));
        assertTrue(malformed(file("{\"__metadata__\":[]}", 0)).getMessage().contains("object of strings"));
    }

    @Test
    void nanWeightsAreAllowed() throws MalformedFileException {
        float[] w = {1, Float.NaN, Float.POSITIVE_INFINITY, Float.NaN};
        byte[] bytes = SafetensorsWriter.toBytes(Map.of("w", NpyArray.ofFloats(new int[] {4}, w)), Map.of());
        NpyArray back = Safetensors.parse(bytes, "nan").tensors().get("w");
        assertEquals(Arrays.toString(w), Arrays.toString(back.asFloats()));
        assertArrayEquals(new long[] {2, 1}, back.nonFiniteCounts());
    }

    @Test
    void writerRefusesTheReservedName() {
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.toBytes(
                Map.of("__metadata__", NpyArray.ofFloats(new int[] {1}, new float[1])), Map.of()));
    }
}
