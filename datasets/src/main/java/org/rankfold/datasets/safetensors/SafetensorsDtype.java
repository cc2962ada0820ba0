package org.rankfold.datasets.safetensors;

import java.util.Optional;

import org.rankfold.datasets.npy.NpyDtype;

/**
 * The dtypes of the safetensors format (huggingface/safetensors, {@code Dtype}), with their sizes. All are
 * accepted in a header (so {@code inspect} can describe any file); values can be loaded for those that map
 * to an {@link NpyDtype}: F32, F64, I64, I32, U8.
 */
public enum SafetensorsDtype {
    BOOL(1, null), U8(1, NpyDtype.UINT8), I8(1, null), F8_E5M2(1, null), F8_E4M3(1, null),
    I16(2, null), U16(2, null), F16(2, null), BF16(2, null),
    I32(4, NpyDtype.INT32), U32(4, null), F32(4, NpyDtype.FLOAT32),
    F64(8, NpyDtype.FLOAT64), I64(8, NpyDtype.INT64), U64(8, null);

    private final int size;
    private final NpyDtype npy;

    SafetensorsDtype(int size, NpyDtype npy) {
        this.size = size;
        this.npy = npy;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** The in-memory type values of this dtype load as, if they can be loaded. */
    public Optional<NpyDtype> npy() {
        return Optional.ofNullable(npy);
    }

    public static Optional<SafetensorsDtype> parse(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    public static SafetensorsDtype of(NpyDtype dtype) {
        return switch (dtype) {
            case FLOAT32 -> F32;
            case FLOAT64 -> F64;
            case INT64 -> I64;
            case INT32 -> I32;
            case UINT8 -> U8;
        };
    }
}
