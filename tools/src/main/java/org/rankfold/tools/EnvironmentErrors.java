package org.rankfold.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Errors of the machine rather than of the program (a full disk, a read-only or forbidden directory, a path
 * that is a file where a directory was expected, too little heap), described in one line that names the path
 * and what to do. Writers leave the previous checkpoint in place when they fail, so the line says so.
 */
final class EnvironmentErrors {
    private EnvironmentErrors() {
    }

    /** One line for {@code ex} when it is an environment error, else null (an internal error). */
    static String describe(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (!(t instanceof IOException io)) {
            return null;
        }
        String reason = io instanceof FileSystemException f ? f.getReason() : io.getMessage();
        String file = io instanceof FileSystemException f ? f.getFile() : null;
        String where = file == null ? "" : file + ": ";
        String lower = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) {
            return where + "no space left on the device; free some space or choose another output directory"
                    + " (checkpoints already written are intact)";
        }
        if (lower.contains("disk quota")) {
            return where + "disk quota exceeded; free some space or choose another output directory";
        }
        if (lower.contains("read-only file system")) {
            return where + "the file system is read-only; choose a writable output directory";
        }
        if (io instanceof AccessDeniedException || lower.contains("permission denied")) {
            return where + "permission denied; check the permissions of this path or choose another one";
        }
        if (io instanceof FileAlreadyExistsException) {
            return where + "already exists (a file where a directory or a new file was expected); choose another path";
        }
        if (io instanceof NotDirectoryException || lower.contains("not a directory")) {
            return where + "a path component is a file, not a directory; choose another path";
        }
        if (io instanceof DirectoryNotEmptyException) {
            return where + "directory is not empty (another process may be writing here); choose another path";
        }
        if (io instanceof FileSystemException && reason != null) {
            return where + reason;
        }
        return null;
    }

    /** The line for an OutOfMemoryError. */
    static String outOfMemory() {
        return "out of memory (the heap holds at most " + (Runtime.getRuntime().maxMemory() >> 20) + " MB): use a smaller"
                + " --batch or model, or give the JVM more heap (RANKFOLD_HEAP, e.g. RANKFOLD_HEAP=8g)";
    }
}
