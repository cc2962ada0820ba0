package org.rankfold.engine.infer;

/**
 * Steps for what could not be fused into a convolution's output stage: a pool after something other
 * than a convolution (or the global average pool), a batch norm that does not follow a convolution, a
 * ReLU after a pool, a residual add whose branch does not end in a convolution. In the zoo's models only
 * the global average pool remains; the others keep the plan complete for any module tree.
 */
final class ElementSteps {
    private ElementSteps() {
    }

    /** A pooling window over all C*B planes of a (C, B, H, W) activation. */
    record Pool(int input, int output, Shape in, PoolWindow window, String name) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {input};
        }

        @Override
        public String describe() {
            return window.describe() + " " + in + " @ " + name;
        }

        @Override
        public long macsPerImage() {
            return 0;
        }

        @Override
        public void run(PlanRun run) {
            run.backend().forEachRange(in.channels(), (c0, c1) -> window.run(run.backend(), (c1 - c0) * run.batch(),
                    in.height(), in.width(), run.buffer(input), c0 * run.batch() * in.plane(), run.buffer(output),
                    c0 * run.batch() * window.output(in).plane()));
        }
    }

    /** {@code y = x * scale[c] + shift[c]} per channel (an unfolded batch norm). */
    record Affine(int input, int output, Shape shape, float[] scale, float[] shift, String name) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {input};
        }

        @Override
        public String describe() {
            return "batchnorm " + shape + " @ " + name;
        }

        @Override
        public long macsPerImage() {
            return 0;
        }

        @Override
        public void run(PlanRun run) {
            // channel-major: one "image" of C channels with B*H*W elements each
            run.backend().channelAffine(1, shape.channels(), run.batch() * shape.plane(), run.buffer(input), 0, scale,
                    shift, run.buffer(output), 0);
        }
    }

    /** {@code y = max(0, x)}. */
    record Relu(int input, int output, Shape shape, String name) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {input};
        }

        @Override
        public String describe() {
            return "relu " + shape + " @ " + name;
        }

        @Override
        public long macsPerImage() {
            return 0;
        }

        @Override
        public void run(PlanRun run) {
            run.backend().relu(run.batch() * shape.size(), run.buffer(input), 0, run.buffer(output), 0);
        }
    }

    /** {@code y = a + b}, then ReLU if asked (a residual block whose branch is not a convolution). */
    record Add(int a, int b, int output, Shape shape, boolean relu, String name) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {a, b};
        }

        @Override
        public String describe() {
            return "add" + (relu ? "+relu " : " ") + shape + " @ " + name;
        }

        @Override
        public long macsPerImage() {
            return 0;
        }

        @Override
        public void run(PlanRun run) {
            int len = run.batch() * shape.size();
            float[] y = run.buffer(output);
            System.arraycopy(run.buffer(a), 0, y, 0, len);
            run.backend().addInPlace(len, run.buffer(b), 0, y, 0);
            if (relu) {
                run.backend().relu(len, y, 0, y, 0);
            }
        }
    }
}
