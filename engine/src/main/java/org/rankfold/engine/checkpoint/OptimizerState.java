package org.rankfold.engine.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyDtype;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.Adam;
import org.rankfold.engine.optim.Optimizer;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.tensor.Tensor;

/**
 * The tensors of {@code optimizer.safetensors}, named after the parameters as PyTorch's optimizer
 * state_dict names its entries: SGD "&lt;param&gt;.momentum_buffer" (F32, only for parameters that have
 * taken a step); Adam "&lt;param&gt;.exp_avg", "&lt;param&gt;.exp_avg_sq" (F32) and "step" (I64 scalar). The
 * safetensors metadata holds "type" ("sgd" or "adam") and "learning_rate". Hyper-parameters are not state:
 * they come from the run's configuration.
 */
public final class OptimizerState {
    static final String TYPE = "type";

    private OptimizerState() {
    }

    /** "sgd" or "adam"; IllegalArgumentException for an optimizer this format does not know. */
    public static String type(Optimizer optimizer) {
        return switch (optimizer) {
            case Sgd s -> "sgd";
            case Adam a -> "adam";
            default -> throw new IllegalArgumentException("cannot checkpoint optimizer " + optimizer.getClass().getName());
        };
    }

    /** The state tensors of {@code optimizer} over the parameters of {@code model} (copies). */
    public static Map<String, NpyArray> tensors(Optimizer optimizer, Module model) {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : names(optimizer, model).entrySet()) {
            Tensor p = e.getValue();
            switch (optimizer) {
                case Sgd s -> {
                    float[] buf = s.momentumBuffer(p);
                    if (buf != null) {
                        out.put(e.getKey() + ".momentum_buffer", NpyArray.ofFloats(p.shape(), buf.clone()));
                    }
                }
                case Adam a -> {
                    float[][] mv = a.moments(p);
                    if (mv != null) {
                        out.put(e.getKey() + ".exp_avg", NpyArray.ofFloats(p.shape(), mv[0].clone()));
                        out.put(e.getKey() + ".exp_avg_sq", NpyArray.ofFloats(p.shape(), mv[1].clone()));
                    }
                }
                default -> throw new IllegalArgumentException("cannot checkpoint optimizer " + optimizer.getClass().getName());
            }
        }
        if (optimizer instanceof Adam a) {
            out.put("step", NpyArray.ofLongs(new int[0], new long[] {a.steps()}));
        }
        return out;
    }

    /** Restores {@code optimizer}'s state from {@code tensors} written by {@link #tensors} for the same model. */
    public static void restore(Optimizer optimizer, Module model, String type, Map<String, NpyArray> tensors, Path file)
            throws MalformedFileException {
        if (!type.equals(type(optimizer))) {
            throw new MalformedFileException(file.toString(), -1, "metadata 'type': the checkpoint holds " + type
                    + " state, the run uses " + type(optimizer));
        }
        Map<String, Tensor> byName = names(optimizer, model);
        int used = 0;
        for (Map.Entry<String, Tensor> e : byName.entrySet()) {
            Tensor p = e.getValue();
            if (optimizer instanceof Sgd s) {
                float[] buf = floats(tensors, e.getKey() + ".momentum_buffer", p, file);
                if (buf != null) {
                    s.setMomentumBuffer(p, buf);
                    used++;
                }
            } else if (optimizer instanceof Adam a) {
                float[] m = floats(tensors, e.getKey() + ".exp_avg", p, file);
                float[] v = floats(tensors, e.getKey() + ".exp_avg_sq", p, file);
                if ((m == null) != (v == null)) {
                    throw new MalformedFileException(file.toString(), -1, "tensor '" + e.getKey() + "': exp_avg and exp_avg_sq must come together");
                }
                if (m != null) {
                    a.setMoments(p, m, v);
                    used += 2;
                }
            }
        }
        if (optimizer instanceof Adam a) {
            NpyArray step = tensors.get("step");
            if (step == null || step.dtype() != NpyDtype.INT64 || step.size() != 1 || step.scalarLong() < 0
                    || step.scalarLong() > Integer.MAX_VALUE) {
                throw new MalformedFileException(file.toString(), -1, "tensor 'step': expected a non-negative I64 scalar");
            }
            a.setSteps((int) step.scalarLong());
            used++;
        }
        if (used != tensors.size()) {
            throw new MalformedFileException(file.toString(), -1, "holds " + tensors.size() + " tensors, of which only " + used
                    + " belong to parameters of the model");
        }
    }

    private static float[] floats(Map<String, NpyArray> tensors, String name, Tensor p, Path file) throws MalformedFileException {
        NpyArray a = tensors.get(name);
        if (a == null) {
            return null;
        }
        if (a.dtype() != NpyDtype.FLOAT32 || !Arrays.equals(a.shape(), p.shape())) {
            throw new MalformedFileException(file.toString(), -1, "tensor '" + name + "': expected F32 " + Arrays.toString(p.shape())
                    + ", got " + a.dtype() + " " + Arrays.toString(a.shape()));
        }
        return a.asFloats();
    }

    /** The optimizer's parameters under their model names. */
    private static Map<String, Tensor> names(Optimizer optimizer, Module model) {
        Map<Tensor, String> byTensor = new IdentityHashMap<>();
        model.namedParameters().forEach((k, v) -> byTensor.put(v, k));
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Tensor p : optimizer.parameters()) {
            String name = byTensor.get(p);
            if (name == null) {
                throw new IllegalArgumentException("the optimizer holds a tensor that is not a parameter of the model");
            }
            out.put(name, p);
        }
        return out;
    }
}
