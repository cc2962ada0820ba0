package org.rankfold.engine.device;

import java.util.Arrays;
import java.util.List;

import org.rankfold.datasets.loader.Batch;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.Optimizer;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.Accuracy;
import org.rankfold.engine.train.DeviceSession;
import org.rankfold.engine.train.ExtraLoss;
import org.rankfold.engine.train.StepResult;
import org.rankfold.kernels.opencl.ClSoftmaxCrossEntropy;
import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;

/**
 * A model resident on an OpenCL device. A training step uploads the batch's images and labels, runs
 * forward, softmax cross-entropy (mean over the batch), backward and the SGD update of every parameter
 * on the device ({@code ClSgd}, {@link Sgd}'s exact arithmetic and hyper-parameters, the optimizer's current
 * learning rate), and reads back the N row losses and the N x classes logits for the loss and hits.
 *
 * <p>An {@link ExtraLoss} (orthogonal regularization) is computed <b>on the host</b> each step: the
 * parameters are downloaded into the host model, the term's gradient is computed by the engine's
 * autograd and uploaded and added to the device gradients before the update. Exact, at the cost of one
 * round trip of the parameters per step.
 */
final class OpenClSession implements DeviceSession {
    private final OpenClRuntime rt;
    private final Module model;
    private final Sgd sgd;
    private final ParameterStore store;
    private DeviceModel compiled;
    private DeviceBuffer labels;
    private DeviceBuffer logProbs;
    private DeviceBuffer rowLoss;
    private DeviceBuffer dlogits;
    private DeviceBuffer extraGrad;
    private float[] logits = new float[0];

    OpenClSession(OpenClRuntime rt, Module model, Optimizer optimizer) {
        ModelCompiler.check(model);
        if (optimizer != null && !(optimizer instanceof Sgd)) {
            throw new IllegalArgumentException("the OpenCL device trains with SGD only, got "
                    + optimizer.getClass().getSimpleName());
        }
        this.rt = rt;
        this.model = model;
        this.sgd = (Sgd) optimizer;
        this.store = new ParameterStore(rt.buffers(), model, optimizer != null);
        if (sgd != null) {
            if (!sgd.parameters().equals(model.parameters())) {
                store.close();
                throw new IllegalArgumentException("the optimizer must own exactly the model's parameters, in order");
            }
            for (DeviceParameter p : store.parameters()) {
                float[] saved = sgd.momentumBuffer(p.host());
                if (saved != null) {
                    p.uploadMomentum(saved);
                }
            }
        }
    }

    @Override
    public StepResult trainStep(Batch batch, ExtraLoss extraLoss, int epoch, long step) {
        if (sgd == null) {
            throw new IllegalStateException("trainStep on an evaluation session (opened without an optimizer)");
        }
        int n = batch.size();
        DeviceBuffer out = forward(batch, true);
        int classes = compiled.classes();
        StepResult r = loss(batch, out, classes);
        rt.softmaxCrossEntropy().backward(n, classes, logProbs, 0, labels, 0, 1f, dlogits, 0);
        compiled.backward(dlogits, n, false);
        if (extraLoss != null) {
            addExtraLossGradient(extraLoss, epoch, step);
        }
        update();
        return r;
    }

    @Override
    public StepResult evalStep(Batch batch) {
        DeviceBuffer out = forward(batch, false);
        return loss(batch, out, compiled.classes());
    }

    private DeviceBuffer forward(Batch batch, boolean training) {
        int n = batch.size();
        int[] shape = {batch.channels(), batch.height(), batch.width()};
        if (compiled == null || !compiled.accepts(shape, n)) {
            int capacity = compiled == null ? n : Math.max(n, compiled.capacity());
            releaseActivations();
            compiled = new DeviceModel(rt, store, model, shape, capacity);
            labels = rt.buffers().allocate(capacity);
            logProbs = rt.buffers().allocate((long) capacity * compiled.classes());
            rowLoss = rt.buffers().allocate(capacity);
            dlogits = rt.buffers().allocate((long) capacity * compiled.classes());
        }
        int classes = compiled.classes();
        for (int i = 0; i < n; i++) {
            int label = batch.labels()[i];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " of image " + i + " of batch " + batch.index()
                        + " is outside [0, " + classes + ")");
            }
        }
        labels.write(0, batch.labels(), 0, n);
        return compiled.forward(batch.images(), n, training);
    }

    private StepResult loss(Batch batch, DeviceBuffer out, int classes) {
        int n = batch.size();
        rt.softmaxCrossEntropy().forward(n, classes, out, 0, labels, 0, logProbs, 0, rowLoss, 0);
        if (logits.length < n * classes) {
            logits = new float[n * classes];
        }
        out.read(0, logits, 0, n * classes);
        float[] exact = logits.length == n * classes ? logits : Arrays.copyOf(logits, n * classes);
        double mean = ClSoftmaxCrossEntropy.meanLoss(n, rowLoss, 0);
        return new StepResult(mean, Accuracy.correct(exact, batch.labels()));
    }

    /** The host computes the extra term's gradient at the current weights; it is added to the device's. */
    private void addExtraLossGradient(ExtraLoss extraLoss, int epoch, long step) {
        store.downloadParameters();
        model.zeroGrad();
        Tensor term = extraLoss.term(model, epoch, step);
        if (term == null) {
            return;
        }
        term.backward();
        for (DeviceParameter p : store.parameters()) {
            float[] g = p.host().grad();
            if (g == null) {
                continue;
            }
            if (extraGrad == null || extraGrad.elements() < g.length) {
                if (extraGrad != null) {
                    extraGrad.close();
                }
                extraGrad = null;
                extraGrad = rt.buffers().allocate(maxParameterSize());
            }
            extraGrad.write(0, g, 0, g.length);
            rt.elementwise().addInPlace(g.length, extraGrad, 0, p.grad(), 0);
        }
    }

    private long maxParameterSize() {
        long max = 1;
        for (DeviceParameter p : store.parameters()) {
            max = Math.max(max, p.size());
        }
        return max;
    }

    /** SGD on every parameter, as {@link Sgd#step()}. */
    private void update() {
        float lr = (float) sgd.learningRate();
        float momentum = (float) sgd.momentum();
        for (DeviceParameter p : store.parameters()) {
            boolean first = momentum != 0f && !p.momentumStarted();
            rt.sgd().step(p.size(), p.value(), 0, p.grad(), 0, momentum != 0f ? p.momentum() : null, 0, lr, momentum,
                    (float) sgd.dampening(), (float) sgd.weightDecay(), sgd.nesterov(), first);
            if (momentum != 0f) {
                p.markMomentumStarted();
            }
        }
    }

    @Override
    public void syncToHost() {
        store.downloadAll();
        if (sgd != null) {
            List<DeviceParameter> params = store.parameters();
            for (DeviceParameter p : params) {
                float[] m = p.downloadMomentum();
                if (m != null) {
                    sgd.setMomentumBuffer(p.host(), m);
                }
            }
        }
    }

    private void releaseActivations() {
        if (compiled != null) {
            compiled.close();
            labels.close();
            logProbs.close();
            rowLoss.close();
            dlogits.close();
            compiled = null;
        }
    }

    @Override
    public void close() {
        releaseActivations();
        if (extraGrad != null) {
            extraGrad.close();
        }
        store.close();
    }
}
