package org.rankfold.engine.infer;

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
import org.rankfold.engine.ops.ConvSpec;

/**
 * Lowers a module tree, in evaluation semantics (running statistics, no dropout), to an
 * {@link InferencePlan}'s steps. Each module appends steps or, where it follows a convolution, folds into
 * the last one: a batch norm scales its rows, a ReLU, a residual add and a pool become its output stage.
 * Weights are copied, so the plan does not change when the model trains on.
 */
final class PlanCompiler {
    private final List<Shape> values = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private int current;
    private final int tileFloats;

    private PlanCompiler(Shape input, int tileFloats) {
        this.tileFloats = tileFloats;
        current = newValue(input);
        steps.add(new LayoutSteps.Input(current, input));
    }

    /** tileFloats: the working-set budget of a convolution step's unit of work (see {@link ConvChainStep}). */
    static InferencePlan compile(Module model, Shape input, int tileFloats) {
        PlanCompiler c = new PlanCompiler(input, tileFloats);
        c.lower(model, "");
        Shape last = c.shape();
        if (last.plane() != 1) {
            c.flatten("(output)");
        }
        c.steps.add(new LayoutSteps.Output(c.current, c.shape().channels()));
        return new InferencePlan(input, c.shape().channels(), List.copyOf(c.steps), List.copyOf(c.values));
    }

    private int newValue(Shape s) {
        values.add(s);
        return values.size() - 1;
    }

    private Shape shape() {
        return values.get(current);
    }

    private static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** Exhaustive over the sealed layer set: a new layer does not compile until the plan says how to run it. */
    private void lower(Module m, String name) {
        switch (m) {
            case Sequential s -> {
                for (Map.Entry<String, Module> e : s.children().entrySet()) {
                    lower(e.getValue(), child(name, e.getKey()));
                }
            }
            case Conv2d conv -> {
                ConvChainStep chain = startChain(name);
                chain.addStage(stage(conv));
                finishChain(chain);
            }
            case FactorizedConv2d f -> {
                ConvChainStep chain = startChain(name);
                chain.addStage(stage(f.factorA()));
                chain.addStage(stage(f.core()));
                chain.addStage(stage(f.factorB()));
                finishChain(chain);
            }
            case Linear linear -> linear(linear, name);
            case BatchNorm2d bn -> batchNorm(bn, name);
            case ReLU r -> relu(name);
            case MaxPool2d p -> pool(new PoolWindow(true, p.spec(), false), name);
            case AvgPool2d p -> pool(new PoolWindow(false, p.spec(), p.countIncludePad()), name);
            case GlobalAvgPool g -> pool(new PoolWindow(false,
                    new ConvSpec(shape().height(), shape().width(), 1, 1, 0, 0, 1, 1), true), name);
            case Flatten f -> {
                if (shape().plane() != 1) {
                    flatten(name);
                }
            }
            case Dropout d -> {
                // identity in evaluation mode
            }
            case BasicBlock b -> block(b.children(), name);
            case FoldedBasicBlock b -> block(b.children(), name);
        }
    }

    private static ConvStage stage(Conv2d conv) {
        float[] bias = conv.bias() == null ? null : conv.bias().data().clone();
        return new ConvStage(conv.weight().data().clone(), bias, conv.inChannels(), conv.outChannels(), conv.spec());
    }

    private ConvChainStep startChain(String name) {
        return new ConvChainStep(name, current, newValue(shape()), shape(), tileFloats);
    }

    private void finishChain(ConvChainStep chain) {
        steps.add(chain);
        current = chain.output();
        values.set(current, chain.outShape());
    }

    /** The last step when it is a convolution chain producing the current value, else null. */
    private ConvChainStep lastChain() {
        if (!steps.isEmpty() && steps.getLast() instanceof ConvChainStep chain && chain.output() == current) {
            return chain;
        }
        return null;
    }

    private void linear(Linear linear, String name) {
        Shape in = shape();
        int features = linear.weight().dim(1);
        if (in.plane() != 1 || in.channels() != features) {
            throw new UnsupportedModuleException("Linear at '" + name + "' needs " + features
                    + " features, the activation before it is " + in + " (missing Flatten?)");
        }
        float[] bias = linear.bias() == null ? null : linear.bias().data().clone();
        ConvChainStep chain = startChain(name);
        chain.addStage(new ConvStage(linear.weight().data().clone(), bias, features, linear.weight().dim(0),
                ConvSpec.square(1, 1, 0, 1)));
        finishChain(chain);
    }

    private void batchNorm(BatchNorm2d bn, String name) {
        Shape in = shape();
        if (bn.channels() != in.channels()) {
            throw new UnsupportedModuleException("BatchNorm2d at '" + name + "' has " + bn.channels()
                    + " channels, its input " + in);
        }
        int c = bn.channels();
        double[] scale = new double[c];
        double[] shift = new double[c];
        float[] gamma = bn.gamma().data();
        float[] beta = bn.beta().data();
        float[] mean = bn.runningMean().data();
        float[] var = bn.runningVar().data();
        for (int o = 0; o < c; o++) {
            scale[o] = gamma[o] / Math.sqrt((double) var[o] + bn.eps());
            shift[o] = beta[o] - scale[o] * mean[o];
        }
        ConvChainStep chain = lastChain();
        if (chain != null && chain.acceptsScale()) {
            chain.scaleLast(scale, shift);
            return;
        }
        float[] s = new float[c];
        float[] t = new float[c];
        for (int o = 0; o < c; o++) {
            s[o] = (float) scale[o];
            t[o] = (float) shift[o];
        }
        int out = newValue(in);
        steps.add(new ElementSteps.Affine(current, out, in, s, t, name));
        current = out;
    }

    private void relu(String name) {
        ConvChainStep chain = lastChain();
        if (chain != null && chain.acceptsRelu()) {
            chain.setRelu();
            return;
        }
        int out = newValue(shape());
        steps.add(new ElementSteps.Relu(current, out, shape(), name));
        current = out;
    }

    private void pool(PoolWindow window, String name) {
        ConvChainStep chain = lastChain();
        if (chain != null && chain.acceptsPool()) {
            chain.setPool(window);
            values.set(current, chain.outShape());
            return;
        }
        Shape in = shape();
        int out = newValue(window.output(in));
        steps.add(new ElementSteps.Pool(current, out, in, window, name));
        current = out;
    }

    private void flatten(String name) {
        Shape in = shape();
        int out = newValue(new Shape(in.size(), 1, 1));
        steps.add(new LayoutSteps.Flatten(current, out, in, name));
        current = out;
    }

    /**
     * A residual block, {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))} (the batch norms absent
     * when folded): the shortcut is lowered before conv2 so that conv2 is the last step when the residual
     * add and the final ReLU fold into its output stage.
     */
    private void block(Map<String, Module> parts, String name) {
        int x = current;
        lowerPart(parts, "conv1", name);
        lowerPart(parts, "bn1", name);
        relu(child(name, "relu"));
        int h = current;
        int s = x;
        if (parts.get("shortcut") != null) {
            current = x;
            lower(parts.get("shortcut"), child(name, "shortcut"));
            s = current;
        }
        current = h;
        lowerPart(parts, "conv2", name);
        lowerPart(parts, "bn2", name);
        if (!values.get(s).equals(shape())) {
            throw new UnsupportedModuleException("residual block '" + name + "': branch " + shape()
                    + " and shortcut " + values.get(s) + " differ");
        }
        ConvChainStep chain = lastChain();
        if (chain != null && chain.acceptsResidual()) {
            chain.setResidual(s);
            chain.setRelu();
            return;
        }
        int out = newValue(shape());
        steps.add(new ElementSteps.Add(current, s, out, shape(), true, name));
        current = out;
    }

    private void lowerPart(Map<String, Module> parts, String part, String block) {
        Module m = parts.get(part);
        if (m != null) {
            lower(m, child(block, part));
        }
    }
}
