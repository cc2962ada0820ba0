package org.rankfold.engine.infer;

/**
 * The plan's layout conversions: images in (B, C, H, W) to the channel-major activation at the start,
 * a spatial activation to a feature matrix at a flatten, and the (classes, B) logits to the caller's
 * (B, classes) at the end. These are the only transposes in a plan.
 */
final class LayoutSteps {
    private LayoutSteps() {
    }

    /** The caller's (B, C, H, W) images into value {@code output} as (C, B, H, W). */
    record Input(int output, Shape shape) implements Step {
        @Override
        public int[] inputs() {
            return new int[0];
        }

        @Override
        public String describe() {
            return "input (B, C, H, W) -> (C, B, H, W) " + shape;
        }

        @Override
        public long macsPerImage() {
            return 0;
        }

        @Override
        public void run(PlanRun run) {
            run.backend().transposeBlocks(run.batch(), shape.channels(), shape.plane(), run.input(), run.inputOffset(),
                    run.buffer(output), 0);
        }
    }

    /**
     * (C, B, H, W) to the feature matrix (C*H*W, B) in PyTorch's flatten order (feature c*H*W + h*W + w):
     * each channel's (B, H*W) block is transposed to (H*W, B).
     */
    record Flatten(int input, int output, Shape shape, String name) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {input};
        }

        @Override
        public String describe() {
            return "flatten " + shape + " @ " + name;
        }

        @Override
        public long macsPerImage() {
            return 0;
        }

        @Override
        public void run(PlanRun run) {
            int b = run.batch();
            int plane = shape.plane();
            float[] x = run.buffer(input);
            float[] y = run.buffer(output);
            if (b == 1) {
                // one image: (C, 1, H, W) and (C*H*W, 1) are the same floats in the same order; one copy instead
                // of a transpose call per channel (8 us of a compressed fashionnet's 190 us per image)
                System.arraycopy(x, 0, y, 0, shape.channels() * plane);
                return;
            }
            for (int c = 0; c < shape.channels(); c++) {
                run.backend().transposeBlocks(b, plane, 1, x, c * b * plane, y, c * plane * b);
            }
        }
    }

    /** The (classes, B) logits into the caller's (B, classes) array. */
    record Output(int input, int classes) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {input};
        }

        @Override
        public int output() {
            return -1;
        }

        @Override
        public String describe() {
            return "logits (classes, B) -> (B, classes)";
        }

        @Override
        public long macsPerImage() {
            return 0;
        }

        @Override
        public void run(PlanRun run) {
            run.backend().transposeBlocks(classes, run.batch(), 1, run.buffer(input), 0, run.logits(),
                    run.logitsOffset());
        }
    }
}
