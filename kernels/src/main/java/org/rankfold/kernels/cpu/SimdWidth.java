package org.rankfold.kernels.cpu;

import java.util.Locale;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width the CPU kernels use: the machine's preferred one, or the one forced by
 * {@code -Drankfold.simd.bits=0|128|256|512} (0 = plain scalar Java), so every width can be tested on one
 * machine. A width wider than the hardware's still works (the Vector API emulates it) but is slow.
 */
public enum SimdWidth {
    SCALAR(0),
    BITS_128(128),
    BITS_256(256),
    BITS_512(512);

    /** System property that forces the width. */
    public static final String PROPERTY = "rankfold.simd.bits";

    private final int bits;

    SimdWidth(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    /** The width with this many bits; IllegalArgumentException for anything but 0, 128, 256, 512. */
    public static SimdWidth ofBits(int bits) {
        for (SimdWidth w : values()) {
            if (w.bits == bits) {
                return w;
            }
        }
        throw new IllegalArgumentException("SIMD width must be 0, 128, 256 or 512 bits, got " + bits);
    }

    /** The widest supported width not above {@link FloatVector#SPECIES_PREFERRED}. */
    public static SimdWidth preferred() {
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        SimdWidth best = SCALAR;
        for (SimdWidth w : values()) {
            if (w.bits <= preferred) {
                best = w;
            }
        }
        return best;
    }

    /** {@code -Drankfold.simd.bits} when set, otherwise {@link #preferred()}. */
    public static SimdWidth configured() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return preferred();
        }
        try {
            return ofBits(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be 0, 128, 256 or 512, got '"
                    + value.trim().toLowerCase(Locale.ROOT) + "'", e);
        }
    }

    /** The float species of this width; IllegalStateException for {@link #SCALAR}, which has none. */
    public VectorSpecies<Float> floatSpecies() {
        return switch (this) {
            case SCALAR -> throw new IllegalStateException("the scalar width has no vector species");
            case BITS_128 -> FloatVector.SPECIES_128;
            case BITS_256 -> FloatVector.SPECIES_256;
            case BITS_512 -> FloatVector.SPECIES_512;
        };
    }
}
