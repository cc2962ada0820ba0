package org.rankfold.engine.nn;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Module#replaceChild}: the registry, the container's own references and the mode all follow. */
class ModuleReplaceTest extends SeededTest {

    @Test
    void sequentialRunsTheReplacementUnderTheSameName() {
        Conv2d conv = new Conv2d(2, 3, 3, 1, 1, false, random());
        Sequential net = new Sequential().add("conv", conv).add("relu", new ReLU());
        net.eval();
        FactorizedConv2d f = new FactorizedConv2d(2, 3, ConvSpec.square(3, 1, 1, 1), 2, 3, false, random());
        assertSame(conv, net.replaceChild("conv", f));
        assertSame(f, net.layers().get(0));
        assertFalse(f.isTraining(), "takes the container's mode");
        assertEquals(List.of("conv.a.weight", "conv.g.weight", "conv.b.weight"),
                List.copyOf(net.namedParameters().keySet()));
        Tensor x = Tensor.uniform(random(), -1, 1, 1, 2, 5, 5);
        try (GradMode.Scope s = GradMode.noGrad()) {
            assertArrayEquals(f.forward(x).relu().data(), net.forward(x).data());
        }
    }

    @Test
    void basicBlockRunsAReplacedConvolution() {
        BasicBlock block = new BasicBlock(3, 3, 1, random());
        block.eval();
        Conv2d zero = Conv2d.of(Tensor.zeros(3, 3, 3, 3), null, ConvSpec.square(3, 1, 1, 1));
        block.replaceChild("conv2", zero);
        Tensor x = Tensor.uniform(random(), 0, 1, 1, 3, 4, 4);
        try (GradMode.Scope s = GradMode.noGrad()) {
            // conv2 = 0 leaves bn2(0) = 0 (fresh BN in eval mode), so the block is relu(x) = x for x >= 0
            assertArrayEquals(x.data(), block.forward(x).data());
        }
    }

    @Test
    void unknownChildrenAndUnsupportedContainersAreRefused() {
        Sequential net = new Sequential(new ReLU());
        assertThrows(IllegalArgumentException.class, () -> net.replaceChild("nope", new ReLU()));
        BasicBlock block = new BasicBlock(3, 3, 1, random());
        assertThrows(UnsupportedOperationException.class, () -> block.replaceChild("bn1", new BatchNorm2d(3)));
        assertEquals(4, block.children().size(), "registry unchanged after a refusal");
    }
}
