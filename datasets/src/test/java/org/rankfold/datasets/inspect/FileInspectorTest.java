package org.rankfold.datasets.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.cifar.Cifar10Format;
import org.rankfold.datasets.idx.IdxArray;
import org.rankfold.datasets.idx.IdxFormat;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.datasets.safetensors.SafetensorsWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileInspectorTest {

    private static String text(FileReport r) {
        return String.join("\n", r.render());
    }

    @Test
    void describesEachFormat(@TempDir Path dir) throws IOException {
        Path npy = dir.resolve("k.npy");
        Files.write(npy, NpyFormat.toBytes(NpyArray.ofFloats(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})));
        FileReport r = FileInspector.inspect(npy);
        assertTrue(text(r).contains("shape     [2, 3]"), text(r));
        assertEquals("3.50000", r.table().rows().get(0).get(6), "mean");

        Path npz = dir.resolve("f.npz");
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("a", NpyArray.ofDoubles(new int[] {1}, new double[] {Double.NaN}));
        arrays.put("b", NpyArray.ofLongs(new int[] {2}, new long[] {1, 2}));
        Npz.write(npz, arrays);
        FileReport z = FileInspector.inspect(npz);
        assertEquals(2, z.table().rows().size());
        assertEquals(List.of("'a' holds 1 NaN and 0 infinite values"), z.warnings());

        Path st = dir.resolve("w.safetensors");
        SafetensorsWriter.write(st, Map.of("w", NpyArray.ofFloats(new int[] {2, 2}, new float[] {1, Float.NaN, 3, 4})), Map.of("format", "pt"));
        FileReport s = FileInspector.inspect(st);
        assertTrue(text(s).contains("metadata format  pt"), text(s));
        assertEquals(List.of("w", "F32", "[2, 2]", "4", "16", "1.00000", "4.00000", "2.66667", "1", "0"), s.table().rows().get(0));
        assertEquals(1, s.warnings().size());

        Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
        IdxFormat.write(labels, new IdxArray(new int[] {4}, new byte[] {0, 9, 9, 3}));
        FileReport l = FileInspector.inspect(labels);
        assertEquals("IDX (gzip)", l.format());
        assertEquals(List.of("9", "Ankle boot / digit 9", "2"), l.table().rows().get(2));

        Path images = dir.resolve("images");  // no telling name: detected by its magic
        IdxFormat.write(images, new IdxArray(new int[] {2, 1, 2}, new byte[] {0, 10, 20, (byte) 250}));
        FileReport i = FileInspector.inspect(images);
        assertTrue(text(i).contains("2 images of 1x2"), text(i));
        assertEquals(List.of("4", "0", "250", "70.0000"), i.table().rows().get(0));

        Path cifar = dir.resolve("test_batch.bin");
        Files.write(cifar, Cifar10Format.toBytes(new int[] {3, 3, 8}, new byte[3 * 3072]));
        FileReport c = FileInspector.inspect(cifar);
        assertEquals(List.of("3", "cat", "2"), c.table().rows().get(3));
    }

    @Test
    void tablesAreAligned() {
        TextTable t = new TextTable(List.of("name", "count"), List.of(List.of("a", "5"), List.of("longer", "12345")));
        assertEquals(List.of("name    count", "------  -----", "a           5", "longer  12345"), t.render());
    }

    @Test
    void malformedAndUnknownFilesFailWithOneMessage(@TempDir Path dir) throws IOException {
        Path st = dir.resolve("bad.safetensors");
        Files.write(st, new byte[] {0, 0, 0, 0, 0, 0, 0, 16});  // header length 2^60
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> FileInspector.inspect(st));
        assertTrue(e.getMessage().startsWith(st + " at offset 0: a header length of at most"), e.getMessage());
        Path unknown = dir.resolve("notes");
        Files.writeString(unknown, "hello");
        assertThrows(MalformedFileException.class, () -> FileInspector.inspect(unknown));
        Path npy = dir.resolve("x.npy");
        Files.writeString(npy, "not numpy");
        assertTrue(assertThrows(MalformedFileException.class, () -> FileInspector.inspect(npy)).getMessage().contains(".npy magic"));
    }
}
