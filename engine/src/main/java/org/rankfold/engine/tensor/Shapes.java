package org.rankfold.engine.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by tensors and ops: element counts, -1 inference, equality, printing. */
public final class Shapes {
    private Shapes() {
    }

    /** Number of elements of a shape; the empty shape (a scalar) has one. Rejects negative or overflowing sizes. */
    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    /** Resolves at most one -1 entry so that the shape holds {@code size} elements. */
    public static int[] infer(int size, int[] shape) {
        int[] out = shape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException("only one -1 allowed in shape " + Arrays.toString(shape));
                }
                unknown = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            } else {
                known *= out[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("cannot view " + size + " elements as " + Arrays.toString(shape));
            }
            out[unknown] = (int) (size / known);
        }
        if (size(out) != size) {
            throw new IllegalArgumentException("cannot view " + size + " elements as " + Arrays.toString(shape));
        }
        return out;
    }

    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Product of the dimensions from {@code from} (inclusive) to the end. */
    public static int trailing(int[] shape, int from) {
        int n = 1;
        for (int i = from; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }
}
