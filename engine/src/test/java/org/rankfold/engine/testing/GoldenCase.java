package org.rankfold.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.engine.ops.CrossEntropy;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.Golden;
import org.rankfold.kernels.testing.Tolerances;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * One {@code grad/*.npz} golden case: float32 inputs (the {@code _f32} keys, the same values as the
 * float64 ones) and float64 expectations, compared at the golden README's float32-vs-float64 tolerances.
 */
public final class GoldenCase {
    private final String name;
    private final Map<String, NpyArray> arrays;

    private GoldenCase(String name, Map<String, NpyArray> arrays) {
        this.name = name;
        this.arrays = arrays;
    }

    /** Loads {@code grad/<name>.npz} from the golden directory. */
    public static GoldenCase load(String name) {
        try {
            return new GoldenCase(name, Npz.read(Golden.file("grad/" + name + ".npz")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public NpyArray array(String key) {
        NpyArray a = arrays.get(key);
        assertNotNull(a, name + ": key '" + key + "' missing");
        return a;
    }

    public boolean has(String key) {
        return arrays.containsKey(key);
    }

    /** A fresh float32 tensor of an input (from {@code key_f32} when stored, else rounded). */
    public Tensor tensor(String key) {
        NpyArray a = arrays.containsKey(key + "_f32") ? arrays.get(key + "_f32") : array(key);
        return Tensor.fromArray(a.asFloats(), a.shape());
    }

    public int[] labels(String key) {
        return CrossEntropy.toIntLabels(array(key).asLongs());
    }

    public int integer(String key) {
        return (int) array(key).scalarLong();
    }

    public double scalar(String key) {
        return array(key).scalar();
    }

    /** Asserts float32 {@code actual} against the float64 key at the golden float32 tolerances. */
    public void assertMatches(String key, float[] actual) {
        assertNotNull(actual, name + "/" + key + ": no value (gradient not computed?)");
        Arrays2.assertGolden(name + "/" + key, array(key).asDoubles(), Arrays2.toDouble(actual),
                Tolerances.GOLDEN_F32_RTOL, Tolerances.GOLDEN_F32_ATOL);
    }
}
