package org.rankfold.engine.device;

import java.util.List;

import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;

/** Layers applied in order; backward runs them in reverse, only the first one deciding on the input gradient. */
final class SequenceLayer extends DeviceLayer {
    private final List<DeviceLayer> layers;

    SequenceLayer(OpenClRuntime rt, String name, int[] in, List<DeviceLayer> layers, int capacity) {
        super(rt, name, in, layers.isEmpty() ? in : layers.getLast().outShape(), capacity);
        this.layers = List.copyOf(layers);
    }

    List<DeviceLayer> layers() {
        return layers;
    }

    @Override
    DeviceBuffer forward(DeviceBuffer x, int n, boolean training) {
        DeviceBuffer h = x;
        for (DeviceLayer l : layers) {
            h = l.forward(h, n, training);
        }
        return h;
    }

    @Override
    DeviceBuffer backward(DeviceBuffer dy, int n, boolean needInputGrad) {
        DeviceBuffer d = dy;
        for (int i = layers.size() - 1; i >= 0; i--) {
            d = layers.get(i).backward(d, n, i > 0 || needInputGrad);
        }
        return needInputGrad ? d : null;
    }

    @Override
    public void close() {
        layers.forEach(DeviceLayer::close);
        super.close();
    }
}
