package org.rankfold.engine.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyDtype;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.Tensor;

/**
 * The tensors of {@code weights.safetensors} with PyTorch's names: every parameter and buffer of the
 * model as F32 ("conv1.weight", "bn1.running_mean", ...), plus "&lt;bn&gt;.num_batches_tracked" as a
 * 0-dimensional I64 per BatchNorm2d, as in a PyTorch state_dict, so the file loads with
 * {@code load_state_dict}. Every BatchNorm of this engine sees every training batch, so its count is the
 * trainer's step count.
 */
public final class Weights {
    static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

    private Weights() {
    }

    /** The state dict of {@code model} (copies of the values). */
    public static Map<String, NpyArray> stateDict(Module model, long batchesTracked) {
        Map<String, Tensor> params = model.namedParameters();
        Map<String, Tensor> buffers = model.namedBuffers();
        Map<String, NpyArray> out = new LinkedHashMap<>();
        // PyTorch's order within a module: parameters, then buffers; modules in registration order.
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            Module m = e.getValue();
            for (String local : ownNames(m, true)) {
                out.put(prefix + local, floats(params.get(prefix + local)));
            }
            for (String local : ownNames(m, false)) {
                out.put(prefix + local, floats(buffers.get(prefix + local)));
            }
            if (m instanceof BatchNorm2d) {
                out.put(prefix + NUM_BATCHES_TRACKED, NpyArray.ofLongs(new int[0], new long[] {batchesTracked}));
            }
        }
        return out;
    }

    private static Iterable<String> ownNames(Module m, boolean params) {
        Map<String, Tensor> all = params ? m.namedParameters() : m.namedBuffers();
        return all.keySet().stream().filter(k -> !k.contains(".")).toList();
    }

    private static NpyArray floats(Tensor t) {
        return NpyArray.ofFloats(t.shape(), t.data().clone());
    }

    /**
     * Copies {@code tensors} into {@code model}: every parameter and buffer must be present as F32 with
     * the model's shape, every BatchNorm's num_batches_tracked as an I64 scalar, and nothing else.
     */
    public static void load(Module model, Map<String, NpyArray> tensors, Path file) throws MalformedFileException {
        Map<String, Tensor> expected = new LinkedHashMap<>(model.namedParameters());
        expected.putAll(model.namedBuffers());
        int counters = 0;
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof BatchNorm2d) {
                String name = (e.getKey().isEmpty() ? "" : e.getKey() + ".") + NUM_BATCHES_TRACKED;
                NpyArray a = tensors.get(name);
                if (a == null || a.dtype() != NpyDtype.INT64 || a.size() != 1 || a.rank() > 1) {
                    throw new MalformedFileException(file.toString(), -1, "tensor '" + name + "': expected an I64 scalar"
                            + (a == null ? ", missing" : ", got " + a));
                }
                counters++;
            }
        }
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            NpyArray a = tensors.get(e.getKey());
            Tensor t = e.getValue();
            if (a == null) {
                throw new MalformedFileException(file.toString(), -1, "tensor '" + e.getKey() + "' is missing (the model has "
                        + expected.size() + " parameters and buffers)");
            }
            if (a.dtype() != NpyDtype.FLOAT32 || !Arrays.equals(a.shape(), t.shape())) {
                throw new MalformedFileException(file.toString(), -1, "tensor '" + e.getKey() + "': expected F32 "
                        + Arrays.toString(t.shape()) + ", got " + a.dtype() + " " + Arrays.toString(a.shape()));
            }
        }
        if (tensors.size() != expected.size() + counters) {
            for (String name : tensors.keySet()) {
                if (!expected.containsKey(name) && !name.endsWith("." + NUM_BATCHES_TRACKED) && !name.equals(NUM_BATCHES_TRACKED)) {
                    throw new MalformedFileException(file.toString(), -1, "tensor '" + name + "' belongs to no layer of the model");
                }
            }
            throw new MalformedFileException(file.toString(), -1, "unexpected num_batches_tracked tensors");
        }
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            float[] src = tensors.get(e.getKey()).asFloats();
            System.arraycopy(src, 0, e.getValue().data(), 0, src.length);
        }
    }
}
