package org.rankfold.engine.nn;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NonFiniteGuardTest extends SeededTest {

    private Sequential net() {
        return new Sequential().add("fc1", new Linear(3, 4, true, random())).add("relu", new ReLU())
                .add("fc2", new Linear(4, 2, true, random()));
    }

    @Test
    void namesTheLayerWhoseOutputWentBad() {
        Sequential net = net();
        NonFiniteGuard.attach(net);
        ((Linear) net.layers().get(2)).weight().data()[5] = Float.NaN;
        Tensor x = Tensor.ones(2, 3);
        x.data()[0] = 100f; // keep relu outputs positive enough that the NaN weight is used
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> net.forward(x));
        assertEquals("fc2", e.layer());
        assertEquals("output", e.quantity());
    }

    @Test
    void namesTheLayerWhoseGradientWentBad() {
        Sequential net = net();
        NonFiniteGuard.attach(net);
        Tensor y = net.forward(Tensor.ones(2, 3));
        float[] dout = {1, 1, Float.POSITIVE_INFINITY, 1};
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> y.backward(dout));
        assertEquals("fc2", e.layer());
        assertEquals("gradient of output", e.quantity());
    }

    @Test
    void namesTheParameterWhoseGradientWentBad() {
        Sequential net = net();
        net.forward(Tensor.ones(2, 3)).sum().backward();
        NonFiniteGuard.checkParameterGradients(net);
        net.namedParameters().get("fc1.bias").grad()[1] = Float.NaN;
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> NonFiniteGuard.checkParameterGradients(net));
        assertEquals("fc1.bias", e.layer());
    }

    @Test
    void detachStopsChecking() {
        Sequential net = net();
        NonFiniteGuard.attach(net);
        NonFiniteGuard.detach(net);
        ((Linear) net.layers().get(0)).bias().data()[0] = Float.NaN;
        net.forward(Tensor.ones(1, 3));
    }
}
