package org.rankfold.datasets.npy;

import java.util.Optional;

/** The NumPy dtypes we read and write: little-endian float32/float64/int64/int32 and uint8. */
public enum NpyDtype {
    FLOAT32("<f4", 4),
    FLOAT64("<f8", 8),
    INT64("<i8", 8),
    INT32("<i4", 4),
    UINT8("|u1", 1);

    private final String descr;
    private final int size;

    NpyDtype(String descr, int size) {
        this.descr = descr;
        this.size = size;
    }

    /** The descr string of the .npy header, e.g. {@code <f4}. */
    public String descr() {
        return descr;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** Parses a descr; single-byte types may be written with '|', '<' or '='. */
    public static Optional<NpyDtype> fromDescr(String descr) {
        for (NpyDtype t : values()) {
            if (t.descr.equals(descr)) {
                return Optional.of(t);
            }
        }
        if (descr.equals("<u1") || descr.equals("=u1") || descr.equals("u1")) {
            return Optional.of(UINT8);
        }
        return Optional.empty();
    }
}
