package org.rankfold.datasets.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

import org.rankfold.datasets.MalformedFileException;

/**
 * Opens files for reading only when they are regular files. A FIFO blocks the opening thread until some
 * writer appears, and a device such as {@code /dev/zero} reports a size of 0 and then never ends: both are
 * refused by type before they are opened. Reads are bounded by a cap, not by {@link Files#size}, which a
 * file can contradict (a device, or a file that grows while it is read).
 *
 * <p>{@link Links#REFUSE} is for files that must stay inside their directory (the files of a checkpoint
 * or a run directory): a symbolic link there is refused rather than followed, so that a link to a file
 * outside the directory is never read, nor quoted in an error.
 */
public final class RegularFiles {
    private static final int CHUNK = 1 << 16;

    /** Whether a symbolic link is followed (a path the user named) or refused (a file inside our directory). */
    public enum Links {
        FOLLOW, REFUSE
    }

    private RegularFiles() {
    }

    /** Fails with one line unless {@code file} is a regular file (after following links, when allowed). */
    public static BasicFileAttributes requireRegular(Path file, Links links) throws IOException {
        BasicFileAttributes a;
        try {
            a = links == Links.FOLLOW ? Files.readAttributes(file, BasicFileAttributes.class)
                    : Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString());
        }
        if (a.isSymbolicLink()) {
            throw new MalformedFileException(file.toString(), -1, "a regular file inside its directory, found a symbolic link"
                    + " (not followed: the files of a checkpoint or run directory must not point elsewhere)");
        }
        if (a.isDirectory()) {
            throw new MalformedFileException(file.toString(), -1, "a regular file, found a directory");
        }
        if (!a.isRegularFile()) {
            throw new MalformedFileException(file.toString(), -1, "a regular file, found a special file (a FIFO, socket or"
                    + " device); it is not read");
        }
        return a;
    }

    /** A read channel on a regular file (checked by type before opening, so a FIFO never blocks us). */
    public static FileChannel open(Path file, Links links) throws IOException {
        requireRegular(file, links);
        OpenOption[] options = links == Links.FOLLOW ? new OpenOption[] {StandardOpenOption.READ}
                : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
        return FileChannel.open(file, options);
    }

    /** An input stream on a regular file. */
    public static InputStream newInputStream(Path file, Links links) throws IOException {
        return Channels.newInputStream(open(file, links));
    }

    /**
     * The whole content of a regular file of at most {@code cap} bytes. The cap is enforced on the bytes
     * actually read, whatever the file's reported size; a file over the cap is refused naming both.
     */
    public static byte[] readBounded(Path file, long cap, Links links) throws IOException {
        int limit = (int) Math.min(cap, Integer.MAX_VALUE - 16);
        try (FileChannel ch = open(file, links)) {
            long size = ch.size();
            if (size > limit) {
                throw new MalformedFileException(file.toString(), -1, "a file of at most " + limit + " bytes, found " + size);
            }
            byte[] buf = new byte[(int) Math.max(Math.min(size, limit), 0) + 1];
            int n = 0;
            while (true) {
                if (n == buf.length) {
                    if (buf.length > limit) {
                        throw new MalformedFileException(file.toString(), -1, "a file of at most " + limit
                                + " bytes, found more while reading");
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min((long) limit + 1, Math.max(CHUNK, 2L * buf.length)));
                }
                int r = ch.read(ByteBuffer.wrap(buf, n, buf.length - n));
                if (r < 0) {
                    break;
                }
                n += r;
            }
            return n == buf.length ? buf : Arrays.copyOf(buf, n);
        }
    }
}
