package org.rankfold.tools.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.tools.UserError;

/**
 * One writer per run directory: an operating-system lock ({@link FileChannel#tryLock}) on the file
 * {@value #FILE} in the run, held from the start of a command to its end. The operating system releases it
 * when the process ends, however it ends (SIGKILL included), so a stale lock never blocks a later run. The
 * holder writes its PID, start time and command into the file, so that a second writer is told who holds it.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file's name inside a run directory. */
    public static final String FILE = "rankfold.lock";

    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final FileChannel channel;
    private final FileLock lock;
    private final Path key;

    private RunLock(FileChannel channel, FileLock lock, Path key) {
        this.channel = channel;
        this.lock = lock;
        this.key = key;
    }

    /**
     * Locks {@code runDir} (which must exist) for {@code command}, or fails with one line naming the holder's
     * PID and start time when another process holds it.
     */
    public static RunLock acquire(Path runDir, String command) throws IOException {
        Path file = runDir.resolve(FILE);
        Path key = runDir.toRealPath().resolve(FILE);
        // On POSIX, closing any channel of a file drops every lock this process holds on it: a second command in
        // the same JVM must not even open the file while the first holds it.
        if (!HELD.add(key)) {
            throw new UserError(runDir + " is in use by another command of this process (" + holder(file)
                    + "); wait for it to finish, or choose another directory");
        }
        try {
            return lock(runDir, file, key, command);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            throw e;
        }
    }

    private static RunLock lock(Path runDir, Path file, Path key, String command) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another command of this same JVM
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new UserError(runDir + " is in use by another rankfold process (" + holder(file)
                    + "); wait for it to finish, or choose another directory");
        }
        try {
            ProcessHandle self = ProcessHandle.current();
            String started = self.info().startInstant().map(Instant::toString).orElse(Instant.now().toString());
            byte[] text = ("pid " + self.pid() + "\nstarted " + started + "\ncommand " + command + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(text), 0);
            ch.force(false);
        } catch (IOException e) {
            lock.release();
            ch.close();
            // A full disk names no file in the JDK's message.
            throw e instanceof java.nio.file.FileSystemException ? e : new java.nio.file.FileSystemException(file.toString(), null,
                    e.getMessage());
        } catch (RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
        return new RunLock(ch, lock, key);
    }

    /** "PID n, started T, command C" as the holder wrote it, or a note that it has not written it yet. */
    static String holder(Path file) {
        String pid = null;
        String started = null;
        String command = null;
        try {
            String text = new String(RegularFiles.readBounded(file, 4096, RegularFiles.Links.REFUSE), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                String[] kv = line.split(" ", 2);
                if (kv.length == 2 && kv[1].matches("[0-9A-Za-z:.\\-+ ]{1,64}")) {
                    switch (kv[0]) {
                        case "pid" -> pid = kv[1];
                        case "started" -> started = kv[1];
                        case "command" -> command = kv[1];
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            // unreadable: say so below
        }
        if (pid == null) {
            return "its PID is not recorded yet";
        }
        return "PID " + pid + (started == null ? "" : ", started " + started) + (command == null ? "" : ", running " + command);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            HELD.remove(key);
        }
    }
}
