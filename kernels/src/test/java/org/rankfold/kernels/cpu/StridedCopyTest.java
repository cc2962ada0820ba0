package org.rankfold.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The strided row copy against the plain loop: every count, offset and stride, up to the array's last float. */
class StridedCopyTest {

    @Test
    void copiesEqualThePlainLoopUpToTheEndOfTheSource() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] src = new float[83];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) rng.nextDouble() - 0.5f;
        }
        src[17] = Float.NaN;
        src[18] = -0f;
        for (int stride = 1; stride <= 3; stride++) {
            for (int s = 0; s < src.length; s++) {
                int most = (src.length - 1 - s) / stride + 1;
                for (int count = 0; count <= most; count++) {
                    float[] expected = new float[count + 4];
                    float[] actual = new float[count + 4];
                    Arrays.fill(expected, 7f);
                    Arrays.fill(actual, 7f);
                    for (int o = 0; o < count; o++) {
                        expected[2 + o] = src[s + o * stride];
                    }
                    StridedCopy.copy(src, s, stride, actual, 2, count);
                    assertArrayEquals(expected, actual, "stride " + stride + " from " + s + ", " + count + " floats");
                }
            }
        }
    }
}
