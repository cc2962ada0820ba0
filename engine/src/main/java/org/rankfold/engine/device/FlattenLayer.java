package org.rankfold.engine.device;

import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;

/** Flatten on the device: the same buffer seen as (n, C*H*W); forward and backward pass buffers through. */
final class FlattenLayer extends DeviceLayer {
    FlattenLayer(OpenClRuntime rt, String name, int[] in, int capacity) {
        super(rt, name, in, new int[] {(int) size(in)}, capacity);
    }

    @Override
    DeviceBuffer forward(DeviceBuffer x, int n, boolean training) {
        return x;
    }

    @Override
    DeviceBuffer backward(DeviceBuffer dy, int n, boolean needInputGrad) {
        return needInputGrad ? dy : null;
    }
}
