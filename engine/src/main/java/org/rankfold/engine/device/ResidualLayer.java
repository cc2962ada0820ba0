package org.rankfold.engine.device;

import java.util.Arrays;

import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;

/**
 * The residual block (the engine's {@code BasicBlock}): out = max(0, main(x) + shortcut(x)), the shortcut
 * being the identity or a projection (1x1 conv + BN). Backward: ds = out > 0 ? dy : 0 goes through both
 * branches, dx = dmain + dshortcut.
 */
final class ResidualLayer extends DeviceLayer {
    private final DeviceLayer main;
    private final DeviceLayer shortcut;
    private final DeviceBuffer out;
    private DeviceBuffer dsum;
    private DeviceBuffer dx;

    ResidualLayer(OpenClRuntime rt, String name, int[] in, DeviceLayer main, DeviceLayer shortcut, int capacity) {
        super(rt, name, in, main.outShape(), capacity);
        int[] sc = shortcut == null ? in : shortcut.outShape();
        if (!Arrays.equals(sc, main.outShape())) {
            throw new IllegalArgumentException("layer '" + name + "': the main branch gives " + Arrays.toString(main.outShape())
                    + " but the shortcut " + Arrays.toString(sc));
        }
        this.main = main;
        this.shortcut = shortcut;
        this.out = allocate(capacity * outSize());
    }

    @Override
    DeviceBuffer forward(DeviceBuffer x, int n, boolean training) {
        DeviceBuffer h = main.forward(x, n, training);
        DeviceBuffer s = shortcut == null ? x : shortcut.forward(x, n, training);
        rt.training().addRelu(n * outSize(), h, s, out);
        return out;
    }

    @Override
    DeviceBuffer backward(DeviceBuffer dy, int n, boolean needInputGrad) {
        if (dsum == null) {
            dsum = allocate(capacity * outSize());
        }
        rt.training().reluGrad(n * outSize(), out, dy, dsum);
        DeviceBuffer dMain = main.backward(dsum, n, needInputGrad);
        DeviceBuffer dShort = shortcut == null ? (needInputGrad ? dsum : null) : shortcut.backward(dsum, n, needInputGrad);
        if (!needInputGrad) {
            return null;
        }
        if (dx == null) {
            dx = allocate(capacity * inSize());
        }
        rt.training().add(n * inSize(), dMain, dShort, dx);
        return dx;
    }

    @Override
    public void close() {
        main.close();
        if (shortcut != null) {
            shortcut.close();
        }
        super.close();
    }
}
