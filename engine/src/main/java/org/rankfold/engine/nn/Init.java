package org.rankfold.engine.nn;

import java.util.SplittableRandom;

import org.rankfold.engine.tensor.Tensor;

/**
 * Seeded weight initializations.
 *
 * <ul>
 * <li>{@link #pytorchDefault}: what {@code nn.Conv2d}/{@code nn.Linear} do in {@code reset_parameters}:
 * {@code kaiming_uniform_(w, a=sqrt(5))}, i.e. U(-b, b) with b = gain * sqrt(3 / fan_in), gain =
 * sqrt(2 / (1 + a^2)) = sqrt(1/3), so b = 1/sqrt(fan_in); bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)).</li>
 * <li>{@link #kaimingNormal}: He et al. 2015, N(0, 2 / fan) for ReLU networks ({@code mode='fan_out'} as
 * in torchvision's ResNets: fan = OC*KH*KW).</li>
 * </ul>
 * fan_in of a weight (OC, IC, KH, KW) or (out, in) is IC*KH*KW or in.
 */
public final class Init {
    private Init() {
    }

    public static int fanIn(int[] weightShape) {
        int f = 1;
        for (int i = 1; i < weightShape.length; i++) {
            f *= weightShape[i];
        }
        return f;
    }

    public static int fanOut(int[] weightShape) {
        int f = weightShape[0];
        for (int i = 2; i < weightShape.length; i++) {
            f *= weightShape[i];
        }
        return f;
    }

    /** PyTorch's default for the weight: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    public static Tensor pytorchDefault(SplittableRandom rng, int... weightShape) {
        float b = (float) (1.0 / Math.sqrt(fanIn(weightShape)));
        return Tensor.uniform(rng, -b, b, weightShape);
    }

    /** PyTorch's default for a bias of a layer with the given fan_in. */
    public static Tensor pytorchDefaultBias(SplittableRandom rng, int fanIn, int size) {
        float b = (float) (1.0 / Math.sqrt(fanIn));
        return Tensor.uniform(rng, -b, b, size);
    }

    /** N(0, 2 / fan) with fan = fan_out (fanOut true) or fan_in. */
    public static Tensor kaimingNormal(SplittableRandom rng, boolean fanOut, int... weightShape) {
        int fan = fanOut ? fanOut(weightShape) : fanIn(weightShape);
        Tensor t = Tensor.zeros(weightShape);
        Tensor.fillNormal(rng, t.data(), 0, Math.sqrt(2.0 / fan));
        return t;
    }
}
