package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.rankfold.datasets.MalformedFileException;

/**
 * What makes a run's records tamper-evident (docs/file-formats.md):
 * <ul>
 * <li>{@link #checkpointDigest}: the SHA-256 of a checkpoint directory, recorded beside every checkpoint that
 * {@code progress.json} names: the digest of the text {@code "<sha256 of file>  <file name>\n"} over the
 * directory's regular files in ascending name order (what {@code sha256sum} prints for them, in C-locale order);
 * anything but regular files in the directory is refused;</li>
 * <li>{@link #checkpointInside}: a recorded checkpoint is a relative path under {@code checkpoints/} of the run,
 * without {@code .} or {@code ..} segments, reached without following a symbolic link;</li>
 * <li>{@link #prefixDigest}: the SHA-256 of the first bytes of {@code audit.jsonl}, recorded in
 * {@code progress.json} with their count, so the audit lines of the completed phases are known exactly.</li>
 * </ul>
 */
final class RunIntegrity {
    private RunIntegrity() {
    }

    /** The SHA-256 (lowercase hex) of checkpoint directory {@code dir}, as the class comment defines it. */
    static String checkpointDigest(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isRegularFile()) {
                    throw new MalformedFileException(p.toString(), -1, "a checkpoint holds regular files only; this is "
                            + (a.isSymbolicLink() ? "a symbolic link" : a.isDirectory() ? "a directory" : "a special file"));
                }
                files.add(p);
            }
        }
        files.sort((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()));
        StringBuilder lines = new StringBuilder();
        for (Path p : files) {
            lines.append(prefixDigest(p, Long.MAX_VALUE)).append("  ").append(p.getFileName()).append('\n');
        }
        return hex(sha256().digest(lines.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The directory of recorded checkpoint {@code rel} in {@code run}, after checking that it is a plain relative
     * path under {@code checkpoints/} whose every step is a real directory (no symbolic link) inside the run.
     *
     * @param field where the path was read, for the error line
     */
    static Path checkpointInside(RunDirectory run, String rel, RecordFields field) throws MalformedFileException {
        String[] parts = rel.split("/", -1);
        boolean plain = parts.length >= 2 && parts[0].equals("checkpoints") && !rel.contains("\\");
        for (String s : parts) {
            plain &= !s.isEmpty() && !s.equals(".") && !s.equals("..");
        }
        if (!plain) {
            throw field.bad("checkpoint", "a directory under checkpoints/ of the run (relative, no '..')");
        }
        Path p = run.root();
        for (String s : parts) {
            p = p.resolve(s);
            if (Files.isSymbolicLink(p)) {
                throw field.bad("checkpoint", "a path inside the run; " + p + " is a symbolic link");
            }
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw field.bad("checkpoint", "an existing checkpoint directory; " + p + " is not one");
            }
        }
        return p;
    }

    /** The SHA-256 (hex) of the first {@code bytes} bytes of regular file {@code file} (all of it for Long.MAX_VALUE). */
    static String prefixDigest(Path file, long bytes) throws IOException {
        MessageDigest md = sha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             InputStream in = Channels.newInputStream(ch)) {
            byte[] buf = new byte[1 << 16];
            long left = bytes;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                md.update(buf, 0, n);
                left -= n;
            }
        }
        return hex(md.digest());
    }

    /** {@link #prefixDigest}, with an absent file read as empty. */
    static String prefixDigest0(Path file, long bytes) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return hex(sha256().digest());
        }
        return prefixDigest(file, bytes);
    }

    /** The SHA-256 (hex) of {@code bytes}. */
    static String digest(byte[] bytes) {
        return hex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
