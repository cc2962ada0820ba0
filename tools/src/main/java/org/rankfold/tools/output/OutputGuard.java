package org.rankfold.tools.output;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.tools.UserError;

/**
 * What a command may write to: it only ever replaces what rankfold wrote. A run directory is new, empty,
 * or carries our {@link RunMarker} (and then replacing it needs {@code --overwrite}); a checkpoint directory
 * is new, empty, or one of our checkpoints (again with {@code --overwrite}); an output file is new or, with
 * {@code --overwrite}, an existing regular file. Anything else is refused with one line before anything is
 * created or deleted.
 */
public final class OutputGuard {
    private OutputGuard() {
    }

    /**
     * Opens {@code dir} as a new run directory of {@code command} and returns its lock, held until closed:
     * checks the target, creates it, locks it, checks again under the lock, clears our previous run when
     * {@code overwrite} is given, and writes the marker (with {@code config}).
     */
    public static RunLock newRun(Path dir, boolean overwrite, String option, String command, JsonNode config) throws IOException {
        checkRunTarget(dir, overwrite, option);
        Files.createDirectories(dir);
        RunLock lock = RunLock.acquire(dir, command);
        try {
            checkRunTarget(dir, overwrite, option);
            if (overwrite) {
                clearRun(dir);
            }
            RunMarker.write(dir, command, config);
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Locks the existing run directory {@code dir} for {@code command} (a resume), after checking that none
     * of the run's own entries {@code names} (and the entries inside those that are directories) is a
     * symbolic link or a special file: a run's records must not point outside it.
     */
    public static RunLock existingRun(Path dir, String command, List<String> names) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + " is not a run directory (it does not exist or is a file)");
        }
        RunLock lock = RunLock.acquire(dir, command);
        try {
            for (String name : names) {
                refuseLinks(dir.resolve(name));
            }
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Fails unless {@code dir} may become a run directory: absent, empty (but for a lock file), or a run of
     * ours when {@code overwrite} is given.
     */
    static void checkRunTarget(Path dir, boolean overwrite, String option) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new UserError(option + " " + dir + " is an existing file, not a directory; choose another path");
        }
        if (isEmpty(dir)) {
            return;
        }
        if (!RunMarker.present(dir)) {
            throw new UserError(option + " " + dir + " is not empty and was not created by rankfold (no " + RunMarker.FILE
                    + "); refusing to write into it: choose a new or empty directory");
        }
        if (!overwrite) {
            throw new UserError(option + " " + dir + " already holds a rankfold run; pass --overwrite to replace it"
                    + " (or --resume to continue it), or choose another directory");
        }
    }

    /**
     * Fails unless {@code dir} may become a checkpoint directory: absent, empty, or (with {@code overwrite})
     * one of our checkpoints. {@link CheckpointWriter#save} checks the same before it renames anything.
     */
    public static void checkCheckpointTarget(Path dir, boolean overwrite, String option) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError(option + " " + dir + " is an existing file or link, not a directory; choose another path");
        }
        if (isEmpty(dir)) {
            return;
        }
        if (!CheckpointWriter.isOurCheckpoint(dir)) {
            throw new UserError(option + " " + dir + " is not empty and is not a rankfold checkpoint; refusing to replace"
                    + " it: choose a new or empty directory");
        }
        if (!overwrite) {
            throw new UserError(option + " " + dir + " already holds a checkpoint; pass --overwrite to replace it,"
                    + " or choose another directory");
        }
    }

    /** Fails unless {@code file} may be written: absent, or an existing regular file with {@code overwrite}. */
    public static void checkFileTarget(Path file, boolean overwrite, String option) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError(option + " " + file + " exists and is not a regular file (a directory, link or special"
                    + " file); choose another path");
        }
        if (!overwrite) {
            throw new UserError(option + " " + file + " already exists; pass --overwrite to replace it, or choose another path");
        }
    }

    /**
     * Locks the run that {@code checkpoint} is written into, when its parent is one of our run directories
     * (import or decompose into a run); null otherwise.
     */
    public static RunLock lockParentRun(Path checkpoint, String command) throws IOException {
        Path parent = checkpoint.toAbsolutePath().normalize().getParent();
        return parent != null && Files.isDirectory(parent) && RunMarker.present(parent) ? RunLock.acquire(parent, command) : null;
    }

    /**
     * After a command failed before writing anything into its new run {@code dir}: removes the marker and the
     * lock file, and the directory itself when {@code created} (it did not exist before), so that the same
     * command can be run again as it was. A directory holding anything else is left as it is.
     */
    public static void discardIfUnused(Path dir, boolean created) {
        try {
            try (Stream<Path> s = Files.list(dir)) {
                if (!s.allMatch(p -> p.getFileName().toString().equals(RunLock.FILE)
                        || p.getFileName().toString().equals(RunMarker.FILE))) {
                    return;
                }
            }
            Files.deleteIfExists(dir.resolve(RunMarker.FILE));
            Files.deleteIfExists(dir.resolve(RunLock.FILE));
            if (created) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            // Best effort: the failure being reported matters more than this tidy-up.
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(RunLock.FILE));
        }
    }

    /** Deletes everything in our run {@code dir} except the lock file (links are deleted, never followed). */
    private static void clearRun(Path dir) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(entries::add);
        }
        for (Path e : entries) {
            if (e.getFileName().toString().equals(RunLock.FILE)) {
                continue;
            }
            try (Stream<Path> w = Files.walk(e)) {
                for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Refuses a run entry that is, or (for a directory) holds, a symbolic link (records that point outside
     * the run) or a special file (a FIFO would block the reader).
     */
    private static void refuseLinks(Path entry) throws IOException {
        if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(entry, 1)) {
            for (Path p : s.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink() || a.isOther()) {
                    throw new UserError(p + " is " + (a.isSymbolicLink() ? "a symbolic link" : "a special file (FIFO, socket or"
                            + " device)") + "; a run directory's files must be regular files inside it (replace it with the"
                            + " file, or start a new run)");
                }
            }
        }
    }
}
