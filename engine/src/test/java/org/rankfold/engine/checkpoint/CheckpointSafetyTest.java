package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.train.TrainingState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A checkpoint save replaces only a checkpoint (it renamed and deleted whatever directory it was given);
 * leftovers of a save are removed only once the process that made them is gone (a live process's temporary
 * directory was deleted under it); files of a checkpoint that are links or special files are refused
 * without being read (a link to /dev/zero ran the JVM out of memory; state.json linked to a foreign file
 * had its first token quoted in the error).
 */
class CheckpointSafetyTest {
    private static final InputShape INPUT = new InputShape(1, 12, 12, 10);

    private static Module model() {
        return INPUT.createZooModel("fashionnet", 3);
    }

    private static void save(Path dir) throws IOException {
        CheckpointWriter.save(dir, model(), "fashionnet", INPUT, new TrainingState(0, 0, List.of()), null, null, null);
    }

    @Test
    void aDirectoryThatIsNotACheckpointIsNeverReplaced(@TempDir Path dir) throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("notes.txt"), "my notes");
        FileSystemException e = assertThrows(FileSystemException.class, () -> save(project));
        assertTrue(e.getMessage().contains("not a rankfold checkpoint"), e.getMessage());
        assertEquals("my notes", Files.readString(project.resolve("notes.txt")));
        assertTrue(Files.isDirectory(project.resolve("src")));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(project), s.toList(), "no temporary directory left behind");
        }

        Path file = Files.writeString(dir.resolve("a-file"), "data");
        assertThrows(FileSystemException.class, () -> save(file));
        assertEquals("data", Files.readString(file));

        // Our own checkpoint and an empty directory are replaced.
        Path ck = dir.resolve("ck");
        save(ck);
        save(ck);
        assertTrue(CheckpointWriter.isOurCheckpoint(ck));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        save(empty);
        assertTrue(CheckpointWriter.isOurCheckpoint(empty));
    }

    @Test
    void leftoversOfALiveProcessAreKept(@TempDir Path dir) throws Exception {
        Path ck = dir.resolve("ck");
        save(ck);
        Process live = new ProcessBuilder("sleep", "60").start();
        Process dead = new ProcessBuilder("true").start();
        assertTrue(dead.waitFor(30, TimeUnit.SECONDS));
        try {
            Path liveTmp = Files.createDirectories(dir.resolve(".ck.tmp-" + live.pid() + "-123"));
            Path liveOld = Files.createDirectories(dir.resolve(".ck.old-" + live.pid() + "-abc"));
            Path deadTmp = Files.createDirectories(dir.resolve(".ck.tmp-" + dead.pid() + "-456"));
            Path legacy = Files.createDirectories(dir.resolve(".ck.tmp-8812345678"));
            CheckpointWriter.removeLeftovers(ck);
            assertTrue(Files.isDirectory(liveTmp), "a running process's temporary directory was deleted");
            assertTrue(Files.isDirectory(liveOld));
            assertFalse(Files.exists(deadTmp));
            assertFalse(Files.exists(legacy));
        } finally {
            live.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void linksAndDevicesInsideACheckpointAreRefused(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero on this machine");
        Path ck = dir.resolve("ck");
        save(ck);
        Path weights = ck.resolve(CheckpointFiles.WEIGHTS);
        Files.delete(weights);
        Files.createSymbolicLink(weights, Path.of("/dev/zero"));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CheckpointReader.load(ck));
        assertTrue(e.getMessage().contains(CheckpointFiles.WEIGHTS) && e.getMessage().contains("symbolic link"), e.getMessage());

        Path ck2 = dir.resolve("ck2");
        save(ck2);
        Path foreign = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Path state = ck2.resolve(CheckpointFiles.STATE);
        Files.delete(state);
        Files.createSymbolicLink(state, foreign);
        MalformedFileException s = assertThrows(MalformedFileException.class, () -> CheckpointReader.load(ck2));
        assertFalse(s.getMessage().contains("root"), "the error quotes the foreign file: " + s.getMessage());
        assertFalse(CheckpointWriter.isOurCheckpoint(ck2));
    }
}
