package org.rankfold.datasets;

import java.io.IOException;

/**
 * A file whose content is not what its format promises. The message names the file, the byte offset
 * (or -1 when not applicable) and what was expected, in one line, so the CLI can print it as it is.
 */
public class MalformedFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;

    public MalformedFileException(String file, long offset, String expected) {
        super(file + (offset >= 0 ? " at offset " + offset : "") + ": " + expected);
        this.file = file;
        this.offset = offset;
    }

    public String file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
