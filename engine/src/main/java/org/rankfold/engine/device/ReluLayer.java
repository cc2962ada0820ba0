package org.rankfold.engine.device;

import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;

/** ReLU on the device: y = max(0, x); dx = y > 0 ? dy : 0 (gradient 0 at x == 0, as PyTorch). */
final class ReluLayer extends DeviceLayer {
    private final DeviceBuffer y;
    private DeviceBuffer dx;

    ReluLayer(OpenClRuntime rt, String name, int[] in, int capacity) {
        super(rt, name, in, in, capacity);
        this.y = allocate(capacity * inSize());
    }

    @Override
    DeviceBuffer forward(DeviceBuffer x, int n, boolean training) {
        rt.elementwise().relu(n * inSize(), x, 0, y, 0);
        return y;
    }

    @Override
    DeviceBuffer backward(DeviceBuffer dy, int n, boolean needInputGrad) {
        if (!needInputGrad) {
            return null;
        }
        if (dx == null) {
            dx = allocate(capacity * inSize());
        }
        rt.training().reluGrad(n * inSize(), y, dy, dx);
        return dx;
    }
}
