package org.rankfold.engine.tensor;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest extends SeededTest {

    @Test
    void factoriesHaveShapeAndValues() {
        Tensor z = Tensor.zeros(2, 3);
        assertArrayEquals(new int[] {2, 3}, z.shape());
        assertEquals(6, z.size());
        assertArrayEquals(new float[6], z.data());
        assertArrayEquals(new float[] {1, 1, 1, 1}, Tensor.ones(4).data());
        Tensor s = Tensor.scalar(2.5f);
        assertEquals(0, s.rank());
        assertEquals(2.5f, s.item());
        float[] src = {1, 2, 3, 4};
        Tensor copy = Tensor.fromArray(src, 2, 2);
        src[0] = 9;
        assertEquals(1f, copy.data()[0], "fromArray copies");
        Tensor wrapped = Tensor.wrap(src, 2, -1);
        assertSame(src, wrapped.data());
        assertArrayEquals(new int[] {2, 2}, wrapped.shape());
    }

    @Test
    void randnIsSeededAndStandardNormal() {
        Tensor a = Tensor.randn(new SplittableRandom(7), 20001);
        Tensor b = Tensor.randn(new SplittableRandom(7), 20001);
        assertArrayEquals(a.data(), b.data());
        double mean = 0;
        double sq = 0;
        for (float v : a.data()) {
            mean += v;
            sq += v * v;
        }
        mean /= a.size();
        double var = sq / a.size() - mean * mean;
        assertEquals(0, mean, 0.03);
        assertEquals(1, var, 0.05);
    }

    @Test
    void reshapeIsAViewAndInfersMinusOne() {
        Tensor t = Tensor.uniform(random(), -1, 1, 2, 3, 4);
        Tensor v = t.reshape(6, -1);
        assertArrayEquals(new int[] {6, 4}, v.shape());
        assertSame(t.data(), v.data());
        v.data()[5] = 42f;
        assertEquals(42f, t.data()[5]);
        assertThrows(IllegalArgumentException.class, () -> t.reshape(5, -1));
        assertThrows(IllegalArgumentException.class, () -> t.reshape(-1, -1));
        assertThrows(IllegalArgumentException.class, () -> t.view(7));
    }

    @Test
    void toStringShowsShapeAndValues() {
        Tensor t = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
        String s = t.toString();
        assertTrue(s.startsWith("Tensor[2, 4] [1.000, 2.000"), s);
        assertTrue(s.contains("8 values"), s);
        assertTrue(Tensor.ones(2).requiresGrad(true).add(Tensor.ones(2)).toString().contains("grad_fn=add"));
    }

    @Test
    void itemRejectsLargerTensors() {
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(2).item());
    }
}
