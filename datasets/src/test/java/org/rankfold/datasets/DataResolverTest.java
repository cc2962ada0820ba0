package org.rankfold.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.cifar.Cifar10Format;
import org.rankfold.datasets.idx.IdxArray;
import org.rankfold.datasets.idx.IdxFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataResolverTest {

    private static void writeIdx(Path dir, int train, int test, boolean gz) throws IOException {
        Files.createDirectories(dir);
        String ext = gz ? ".gz" : "";
        IdxFormat.write(dir.resolve("train-images-idx3-ubyte" + ext), new IdxArray(new int[] {train, 28, 28}, new byte[train * 784]));
        IdxFormat.write(dir.resolve("train-labels-idx1-ubyte" + ext), new IdxArray(new int[] {train}, new byte[train]));
        IdxFormat.write(dir.resolve("t10k-images-idx3-ubyte" + ext), new IdxArray(new int[] {test, 28, 28}, new byte[test * 784]));
        IdxFormat.write(dir.resolve("t10k-labels-idx1-ubyte" + ext), new IdxArray(new int[] {test}, new byte[test]));
    }

    private static void writeCifar(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int i = 1; i <= 5; i++) {
            Files.write(dir.resolve("data_batch_" + i + ".bin"), Cifar10Format.toBytes(new int[] {i}, new byte[3072]));
        }
        Files.write(dir.resolve("test_batch.bin"), Cifar10Format.toBytes(new int[] {9, 8}, new byte[2 * 3072]));
    }

    @Test
    void defaultIsTheFullSetWhenInstalledElseTheSample(@TempDir Path root) throws IOException {
        Path system = root.resolve("system");
        DataResolver none = new DataResolver(Optional.empty(), List.of(system));
        DataSplit sample = none.load(null);
        assertTrue(sample.summary().startsWith("fashion-mnist sample (bundled): 6000 train"), sample.summary());
        assertEquals(6000, none.load("sample").train().size());

        writeIdx(system.resolve("fashion-mnist"), 3, 2, true);
        DataSplit full = none.load("default");
        assertEquals("fashion-mnist from " + system.resolve("fashion-mnist") + ": 3 train + 2 test images (1x28x28, 10 classes)",
                full.summary());
        assertEquals("T-shirt/top", full.train().classNames().get(0));
    }

    @Test
    void environmentFolderComesFirst(@TempDir Path root) throws IOException {
        Path system = root.resolve("system");
        writeIdx(system.resolve("fashion-mnist"), 3, 2, true);
        Path mine = root.resolve("mine");
        writeIdx(mine.resolve("fashion-mnist"), 4, 1, false);
        writeIdx(mine.resolve("mnist"), 5, 1, false);
        DataResolver r = new DataResolver(Optional.of(mine), List.of(system));
        assertEquals(4, r.load("fashion-mnist").train().size());
        DataSplit mnist = r.load("mnist");
        assertEquals(5, mnist.train().size());
        assertEquals("0", mnist.train().classNames().get(0));
        assertEquals(4, DataResolver.fromEnvironment(Map.of(DataResolver.ENV_DATA, mine.toString())).load("fashion-mnist").train().size());
    }

    @Test
    void cifarByNameAndByFolder(@TempDir Path root) throws IOException {
        Path data = root.resolve("data");
        writeCifar(data.resolve("cifar-10-batches-bin"));
        DataResolver r = new DataResolver(Optional.of(data), List.of());
        DataSplit c = r.load("cifar10");
        assertEquals(5, c.train().size());
        assertEquals(2, c.test().size());
        assertEquals(9, c.test().label(0));
        assertEquals(3, c.train().channels());
        assertEquals(5, r.load(data.resolve("cifar-10-batches-bin").toString()).train().size());
        assertEquals(5, r.load("cifar10:" + data.resolve("cifar-10-batches-bin")).train().size());
    }

    @Test
    void folderOfIdxFilesAndClearErrors(@TempDir Path root) throws IOException {
        Path dir = root.resolve("fmnist-copy");
        writeIdx(dir, 2, 2, false);
        DataResolver r = new DataResolver(Optional.empty(), List.of(root.resolve("nothing")));
        assertEquals("T-shirt/top", r.load(dir.toString()).train().classNames().get(0));
        assertEquals("0", r.load("mnist:" + dir).train().classNames().get(0));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> r.load("fashion-mnist"));
        assertTrue(missing.getMessage().contains("apt-get install dataset-fashion-mnist"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.load("cifar10"));
        assertThrows(IllegalArgumentException.class, () -> r.load(root.resolve("no-such").toString()));
        assertThrows(IllegalArgumentException.class, () -> r.load("cifar10:" + dir));
        assertThrows(IllegalArgumentException.class, () -> r.load(root.resolve("nothing").toString() + "x"));
    }
}
