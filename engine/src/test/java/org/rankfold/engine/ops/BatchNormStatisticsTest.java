package org.rankfold.engine.ops;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Training-mode batch norm's one-pass statistics (sums of x and x^2 in double) against the definition computed
 * in double with two passes: output, running variance and the three gradients. The offsets put the channel
 * means at 0, at 50 standard deviations and at 20,000 (where E[x^2] - mean^2 alone would lose float accuracy
 * and the channel is recomputed from centred values); one channel is constant (variance 0).
 */
class BatchNormStatisticsTest extends SeededTest {
    private static final int N = 3;
    private static final int C = 4;
    private static final int H = 5;
    private static final int W = 6;
    private static final double EPS = 1e-5;

    @ParameterizedTest
    @ValueSource(doubles = {0, 50, 20_000})
    void oneScanStatisticsMatchTheTwoPassDefinition(double offset) {
        SplittableRandom rng = random();
        int hw = H * W;
        float[] xd = new float[N * C * hw];
        for (int i = 0; i < N; i++) {
            for (int ch = 0; ch < C; ch++) {
                for (int j = 0; j < hw; j++) {
                    double v = ch == C - 1 ? 0.25 : rng.nextGaussian() * (ch + 1);
                    xd[(i * C + ch) * hw + j] = (float) (offset * (ch + 1) + v);
                }
            }
        }
        float[] dy = Tensor.randn(rng, N, C, H, W).data();
        Tensor x = Tensor.wrap(xd.clone(), N, C, H, W).requiresGrad(true);
        Tensor gamma = Tensor.uniform(rng, 0.5f, 1.5f, C).requiresGrad(true);
        Tensor beta = Tensor.uniform(rng, -0.5f, 0.5f, C).requiresGrad(true);
        Tensor rm = Tensor.zeros(C);
        Tensor rv = Tensor.ones(C);
        Tensor y = BatchNormOp.train(x, gamma, beta, rm, rv, 1.0, EPS);
        y.backward(dy.clone());

        int m = N * hw;
        for (int ch = 0; ch < C; ch++) {
            double mean = 0;
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < hw; j++) {
                    mean += xd[(i * C + ch) * hw + j];
                }
            }
            mean /= m;
            double var = 0;
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < hw; j++) {
                    double d = xd[(i * C + ch) * hw + j] - mean;
                    var += d * d;
                }
            }
            var /= m;
            double inv = 1 / Math.sqrt(var + EPS);
            double g = gamma.data()[ch];
            double dbeta = 0;
            double dgamma = 0;
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < hw; j++) {
                    int at = (i * C + ch) * hw + j;
                    double xhat = (xd[at] - mean) * inv;
                    assertEquals(g * xhat + beta.data()[ch], y.data()[at], 2e-5 * (1 + Math.abs(g * xhat)),
                            "output, channel " + ch);
                    dbeta += dy[at];
                    dgamma += dy[at] * xhat;
                }
            }
            assertEquals(var * m / (m - 1), rv.data()[ch], 1e-5 * (var + 1e-3), "running variance, channel " + ch);
            assertEquals(dbeta, beta.grad()[ch], 1e-4 * (1 + Math.abs(dbeta)), "dbeta, channel " + ch);
            assertEquals(dgamma, gamma.grad()[ch], 1e-4 * (1 + Math.abs(dgamma)), "dgamma, channel " + ch);
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < hw; j++) {
                    int at = (i * C + ch) * hw + j;
                    double xhat = (xd[at] - mean) * inv;
                    double dx = g * inv * (dy[at] - dbeta / m - xhat * dgamma / m);
                    assertEquals(dx, x.grad()[at], 1e-4 * (1 + Math.abs(dx)) * Math.max(1, g * inv),
                            "dx, channel " + ch);
                }
            }
        }
    }
}
