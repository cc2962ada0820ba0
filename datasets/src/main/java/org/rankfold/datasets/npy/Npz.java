package org.rankfold.datasets.npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.datasets.io.AtomicFiles;
import org.rankfold.datasets.io.BoundedInput;

/**
 * NumPy's {@code .npz}: a ZIP archive with one {@code KEY.npy} entry per array ({@code np.savez} stores,
 * {@code np.savez_compressed} deflates; both are read). Entry sizes are checked against a cap and against
 * the archive before anything is inflated, so a "zip bomb" cannot make us allocate gigabytes.
 */
public final class Npz {
    /** Largest uncompressed entry we inflate. */
    public static final long MAX_ENTRY_BYTES = 1L << 30;
    /** Largest number of entries we accept. */
    public static final int MAX_ENTRIES = 100_000;

    private Npz() {
    }

    /** Reads every array of an .npz file, keyed by entry name without ".npy", in archive order. */
    public static Map<String, NpyArray> read(Path file) throws IOException {
        String name = file.toString();
        RegularFiles.requireRegular(file, RegularFiles.Links.FOLLOW);
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > MAX_ENTRIES) {
                throw new MalformedFileException(name, -1, "at most " + MAX_ENTRIES + " entries, found " + zip.size());
            }
            long archiveBytes = Files.size(file);
            Enumeration<? extends ZipEntry> entries = zip.entries();
            for (ZipEntry e : Collections.list(entries)) {
                if (e.isDirectory()) {
                    continue;
                }
                String entryName = e.getName();
                String where = name + "!" + entryName;
                if (!entryName.endsWith(".npy")) {
                    throw new MalformedFileException(where, -1, "only KEY.npy entries in an .npz");
                }
                long size = e.getSize();
                if (size < 0 || size > MAX_ENTRY_BYTES) {
                    throw new MalformedFileException(where, -1, "an entry size between 0 and " + MAX_ENTRY_BYTES + " bytes, found " + size);
                }
                if (e.getMethod() == ZipEntry.STORED && size > archiveBytes) {
                    throw new MalformedFileException(where, -1, "a stored entry no larger than the archive (" + archiveBytes + " bytes)");
                }
                // DEFLATE expands at most 1032:1, so a larger declared size is a lie (checked before inflating)
                long compressed = e.getCompressedSize();
                if (e.getMethod() == ZipEntry.DEFLATED && compressed >= 0 && size > compressed * BoundedInput.MAX_DEFLATE_RATIO + 64) {
                    throw new MalformedFileException(where, -1, "an entry of at most " + BoundedInput.MAX_DEFLATE_RATIO
                            + " times its " + compressed + " compressed bytes, declared " + size);
                }
                byte[] bytes = readBounded(zip.getInputStream(e), (int) size, where);
                String key = entryName.substring(0, entryName.length() - 4);
                if (out.put(key, NpyFormat.parse(bytes, where)) != null) {
                    throw new MalformedFileException(where, -1, "unique keys, '" + key + "' appears twice");
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            // ZipFile reports a central directory that points past the end of the file as EOFException (found by NpzFuzzTest)
            throw new MalformedFileException(name, -1, "a valid ZIP archive (" + (e.getMessage() == null
                    ? "the central directory points past the end of the file" : e.getMessage()) + ")");
        }
        return out;
    }

    /**
     * Reads one entry of {@code declared} bytes: first just enough for the .npy header, whose described length
     * must equal the declared size, and only then the data, so that an entry claiming far more than its
     * header describes (a "zip bomb") is refused after inflating a few kilobytes.
     */
    private static byte[] readBounded(InputStream in, int declared, String where) throws IOException {
        try (in) {
            int prefixLength = Math.min(declared, 12 + NpyFormat.MAX_HEADER_BYTES);
            byte[] prefix = readExactly(in, prefixLength, 0, declared, where);
            long described = NpyFormat.encodedLength(prefix, where);
            if (described != declared) {
                throw new MalformedFileException(where, -1, "an entry of " + described + " bytes as its .npy header describes,"
                        + " the archive declares " + declared);
            }
            byte[] b = java.util.Arrays.copyOf(prefix, declared);
            byte[] rest = readExactly(in, declared - prefixLength, prefixLength, declared, where);
            System.arraycopy(rest, 0, b, prefixLength, rest.length);
            if (in.read() != -1) {
                throw new MalformedFileException(where, declared, "the end of the entry after " + declared + " bytes");
            }
            return b;
        } catch (ZipException | java.io.EOFException e) {
            // a truncated DEFLATE stream ends in EOFException, not ZipException (found by NpzFuzzTest)
            throw new MalformedFileException(where, -1, "a readable ZIP entry (" + e.getMessage() + ")");
        }
    }

    private static byte[] readExactly(InputStream in, int n, int offset, int declared, String where) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new MalformedFileException(where, offset + b.length, declared + " bytes as the archive declares, found "
                    + (offset + b.length));
        }
        return b;
    }

    /** Writes arrays as an uncompressed .npz (like {@code np.savez}); replaces the file atomically (fsync + rename). */
    public static void write(Path file, Map<String, NpyArray> arrays) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                byte[] bytes = NpyFormat.toBytes(e.getValue());
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
            // finish, not close: AtomicFiles still has to force the file to disk
            zip.finish();
        });
    }
}
