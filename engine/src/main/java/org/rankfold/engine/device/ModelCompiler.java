package org.rankfold.engine.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.rankfold.engine.nn.AvgPool2d;
import org.rankfold.engine.nn.BasicBlock;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Dropout;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.FoldedBasicBlock;
import org.rankfold.engine.nn.GlobalAvgPool;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.kernels.opencl.OpenClRuntime;

/**
 * Turns a {@link Module} tree into device layers for a per-image input shape: Sequential, Conv2d (groups
 * 1), FactorizedConv2d (its three convolutions), BatchNorm2d, ReLU, MaxPool2d, AvgPool2d, GlobalAvgPool,
 * Flatten, Linear, Dropout and BasicBlock. A FoldedBasicBlock (an export form) is refused with the layer's
 * qualified name and type, before anything is allocated ({@link #check}).
 */
final class ModelCompiler {
    /** What the device runs, for error messages. */
    static final String SUPPORTED = "Sequential, Conv2d, FactorizedConv2d, BatchNorm2d, ReLU, MaxPool2d, AvgPool2d, "
            + "GlobalAvgPool, Flatten, Linear, Dropout, BasicBlock";
    /**
     * Seed of the first dropout layer's mask generator (the next ones count up): fixed, so device runs are
     * reproducible; a new session (e.g. a resumed run) starts the sequence again.
     */
    static final long DROPOUT_SEED = 0x5EEDL;
    private final OpenClRuntime rt;
    private final Scratch scratch;
    private final ParameterStore store;
    private final int capacity;
    private final long columnLimit;
    private int dropouts;

    /** columnLimit: the convolutions' chunk bound in floats ({@link ConvLayer#COLUMN_LIMIT}; tests use less). */
    ModelCompiler(OpenClRuntime rt, Scratch scratch, ParameterStore store, int capacity, long columnLimit) {
        this.rt = rt;
        this.scratch = scratch;
        this.store = store;
        this.capacity = capacity;
        this.columnLimit = columnLimit;
    }

    /** Throws IllegalArgumentException naming the first module the device cannot run. */
    static void check(Module model) {
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            switch (e.getValue()) {
                case Sequential _, Conv2d _, FactorizedConv2d _, BatchNorm2d _, ReLU _, MaxPool2d _, AvgPool2d _,
                     GlobalAvgPool _, Flatten _, Linear _, Dropout _, BasicBlock _ -> { }
                case FoldedBasicBlock _ -> throw unsupported(e.getKey(), e.getValue());
            }
        }
    }

    private static IllegalArgumentException unsupported(String name, Module m) {
        return new IllegalArgumentException("layer '" + (name.isEmpty() ? "(model)" : name) + "' of type "
                + m.getClass().getSimpleName() + " is not supported on OpenCL devices (supported: " + SUPPORTED + ")");
    }

    /** The device layer of {@code m} (named {@code name}) for inputs of per-image shape {@code in}. */
    DeviceLayer compile(String name, Module m, int[] in) {
        return switch (m) {
            case Sequential s -> {
                List<Module> children = new ArrayList<>(s.children().values());
                List<String> names = new ArrayList<>(s.children().keySet());
                yield sequence(name, in, children, names);
            }
            case FactorizedConv2d f -> sequence(name, in, List.of(f.factorA(), f.core(), f.factorB()), List.of("a", "g", "b"));
            case BasicBlock b -> block(name, b, in);
            case Conv2d c -> new ConvLayer(rt, scratch, store, name, c, in, capacity, columnLimit);
            case Linear l -> new LinearLayer(rt, store, name, l, in, capacity);
            case BatchNorm2d bn -> new BatchNormLayer(rt, store, name, bn, in, capacity);
            case ReLU _ -> new ReluLayer(rt, name, in, capacity);
            case MaxPool2d p -> PoolLayer.max(rt, name, in, p.spec(), capacity);
            case AvgPool2d p -> PoolLayer.average(rt, name, in, p.spec(), p.countIncludePad(), capacity);
            case GlobalAvgPool _ -> PoolLayer.global(rt, name, in, capacity);
            case Flatten _ -> new FlattenLayer(rt, name, in, capacity);
            case Dropout d -> new DropoutLayer(rt, name, in, d.p(), DROPOUT_SEED + dropouts++, capacity);
            case FoldedBasicBlock _ -> throw unsupported(name, m);
        };
    }

    private SequenceLayer sequence(String name, int[] in, List<Module> modules, List<String> names) {
        List<DeviceLayer> layers = new ArrayList<>();
        int[] shape = in;
        try {
            for (int i = 0; i < modules.size(); i++) {
                DeviceLayer l = compile(qualified(name, names.get(i)), modules.get(i), shape);
                layers.add(l);
                shape = l.outShape();
            }
        } catch (RuntimeException e) {
            layers.forEach(DeviceLayer::close);
            throw e;
        }
        return new SequenceLayer(rt, name, in, layers, capacity);
    }

    private ResidualLayer block(String name, BasicBlock b, int[] in) {
        Map<String, Module> c = b.children();
        // the block's function: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))
        SequenceLayer main = sequence(name, in, List.of(c.get("conv1"), c.get("bn1"), new ReLU(), c.get("conv2"), c.get("bn2")),
                List.of("conv1", "bn1", "relu", "conv2", "bn2"));
        DeviceLayer shortcut = null;
        try {
            if (b.projects()) {
                shortcut = compile(qualified(name, "shortcut"), c.get("shortcut"), in);
            }
            return new ResidualLayer(rt, name, in, main, shortcut, capacity);
        } catch (RuntimeException e) {
            main.close();
            if (shortcut != null) {
                shortcut.close();
            }
            throw e;
        }
    }

    private static String qualified(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }
}
