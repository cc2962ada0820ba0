package org.rankfold.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.rankfold.datasets.io.RegularFiles;

/** SHA-256 of files, streamed (weights may be large), as 64 lower-case hex digits. */
public final class Sha256Files {
    private Sha256Files() {
    }

    /**
     * The digest of {@code file}, which must be a regular file (a link, folder or device is refused: it is no
     * record's file, and a FIFO would block the read).
     */
    public static String of(Path file) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = RegularFiles.newInputStream(file, RegularFiles.Links.REFUSE)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The digest of {@code bytes}. */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
