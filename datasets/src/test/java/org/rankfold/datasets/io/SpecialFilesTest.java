package org.rankfold.datasets.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.cifar.Cifar10Format;
import org.rankfold.datasets.inspect.FileInspector;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.datasets.safetensors.Safetensors;
import org.rankfold.datasets.safetensors.SafetensorsWriter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Special files given to the readers: a real FIFO (which blocked the reader forever: opening one waits for a
 * writer) and a symbolic link to {@code /dev/zero} or {@code /dev/urandom} (size 0, endless content: read
 * whole, it ran the JVM out of memory). Each is refused by type, in one line naming the file, before it is
 * opened; a timeout turns a hang back into a failure.
 */
class SpecialFilesTest {

    /** Makes a FIFO with the system's mkfifo (skipped, with the reason, where there is none). */
    static Path fifo(Path file) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo is not available on this machine: " + e.getMessage());
            throw e;
        }
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed on this file system");
        return file;
    }

    static Path linkTo(Path link, String device) throws IOException {
        assumeTrue(Files.exists(Path.of(device)), device + " does not exist on this machine");
        try {
            return Files.createSymbolicLink(link, Path.of(device));
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.abort("symbolic links are not supported here: " + e.getMessage());
            throw e;
        }
    }

    private static void refused(Path file, Executable read) {
        MalformedFileException e = assertThrows(MalformedFileException.class, read);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("special file"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoIsRefusedByEveryReaderWithoutBlocking(@TempDir Path dir) throws Exception {
        for (String name : List.of("x.npy", "x.npz", "weights.safetensors", "train-images-idx3-ubyte", "data_batch_1.bin", "unknown")) {
            Path f = fifo(dir.resolve(name));
            refused(f, () -> FileInspector.inspect(f));
        }
        Path npy = dir.resolve("x.npy");
        refused(npy, () -> NpyFormat.read(npy));
        refused(dir.resolve("x.npz"), () -> Npz.read(dir.resolve("x.npz")));
        Path st = dir.resolve("weights.safetensors");
        refused(st, () -> Safetensors.read(st));
        refused(st, () -> Safetensors.readHeader(st));
        refused(dir.resolve("train-images-idx3-ubyte"), () -> BoundedInput.open(dir.resolve("train-images-idx3-ubyte")));
        refused(dir.resolve("data_batch_1.bin"), () -> Cifar10Format.read(dir.resolve("data_batch_1.bin")));
        refused(npy, () -> RegularFiles.readBounded(npy, 100, RegularFiles.Links.FOLLOW));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void linksToDevicesAreRefusedBeforeAnythingIsRead(@TempDir Path dir) throws Exception {
        for (String device : List.of("/dev/zero", "/dev/urandom")) {
            Path sub = Files.createDirectories(dir.resolve(device.substring(5)));
            Path npy = linkTo(sub.resolve("x.npy"), device);
            Path st = linkTo(sub.resolve("weights.safetensors"), device);
            Path idx = linkTo(sub.resolve("t10k-labels-idx1-ubyte"), device);
            refused(npy, () -> NpyFormat.read(npy));
            refused(npy, () -> FileInspector.inspect(npy));
            refused(st, () -> Safetensors.read(st));
            refused(st, () -> FileInspector.inspect(st));
            refused(idx, () -> BoundedInput.open(idx));
            refused(npy, () -> RegularFiles.readBounded(npy, Long.MAX_VALUE, RegularFiles.Links.FOLLOW));
        }
    }

    @Test
    void insideADirectoryALinkIsNotFollowedEvenToARegularFile(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "root:x:0:0:secret");
        Path link = Files.createSymbolicLink(dir.resolve("state.json"), secret);
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> RegularFiles.readBounded(link, 1 << 20, RegularFiles.Links.REFUSE));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertFalse(e.getMessage().contains("root:x"), e.getMessage());
        // A path the user named may be a link to a regular file: followed.
        assertArrayEquals(Files.readAllBytes(secret), RegularFiles.readBounded(link, 1 << 20, RegularFiles.Links.FOLLOW));
    }

    @Test
    void theCapIsEnforcedOnTheBytesRead(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("f.bin"), new byte[1000]);
        assertThrows(MalformedFileException.class, () -> RegularFiles.readBounded(f, 999, RegularFiles.Links.FOLLOW));
        assertArrayEquals(new byte[1000], RegularFiles.readBounded(f, 1000, RegularFiles.Links.FOLLOW));
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertArrayEquals(new byte[0], RegularFiles.readBounded(empty, 10, RegularFiles.Links.FOLLOW));
        Path big = Files.write(dir.resolve("big"), new byte[200_000]);
        assertArrayEquals(new byte[200_000], RegularFiles.readBounded(big, 1 << 20, RegularFiles.Links.FOLLOW));
        // Regular files still read as before.
        Path st = dir.resolve("ok.safetensors");
        SafetensorsWriter.write(st, Map.of("w", NpyArray.ofFloats(new int[] {2}, new float[] {1, 2})), Map.of());
        assertArrayEquals(new float[] {1, 2}, Safetensors.read(st).tensors().get("w").asFloats());
    }
}
