package org.rankfold.kernels.opencl;

import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;

/**
 * The four parts on one device wired together (context/queue holder, buffer allocator, program cache,
 * kernel launcher) plus the device ops built on them. This is the device-buffer API an engine uses to
 * keep tensors resident: allocate {@link DeviceBuffer}s once, run ops on them, read back only what the
 * host needs. Closing releases programs and kernels, then the queue and context; buffers still open
 * are the caller's leak (see {@link BufferAllocator#liveBuffers()}).
 */
public final class OpenClRuntime implements AutoCloseable {
    private final OpenClContext context;
    private final BufferAllocator allocator;
    private final ProgramCache programs;
    private final KernelLauncher launcher;
    private final ClGemm gemm;
    private final ClIm2col im2col;
    private final ClElementwise elementwise;
    private final ClChannels channels;
    private final ClPooling pooling;
    private final ClSoftmaxCrossEntropy softmaxCrossEntropy;
    private final ClSgd sgd;
    private final ClTraining training;

    public OpenClRuntime(OpenClContext context) {
        this.context = context;
        this.allocator = new BufferAllocator(context);
        this.programs = new ProgramCache(context);
        this.launcher = new KernelLauncher(context);
        this.gemm = new ClGemm(programs, launcher, context.device());
        this.im2col = new ClIm2col(programs, launcher);
        this.elementwise = new ClElementwise(programs, launcher);
        this.channels = new ClChannels(programs, launcher, allocator, context.device());
        this.pooling = new ClPooling(programs, launcher);
        this.softmaxCrossEntropy = new ClSoftmaxCrossEntropy(programs, launcher);
        this.sgd = new ClSgd(programs, launcher);
        this.training = new ClTraining(programs, launcher);
    }

    /** Opens the selected device (see {@link OpenClDevices#select}); preferred < 0 means the default. */
    public static OpenClRuntime open(int preferred) throws OpenClUnavailableException {
        return new OpenClRuntime(OpenClContext.open(preferred));
    }

    public OpenClContext context() {
        return context;
    }

    public DeviceInfo device() {
        return context.device();
    }

    public BufferAllocator buffers() {
        return allocator;
    }

    public ProgramCache programs() {
        return programs;
    }

    public KernelLauncher launcher() {
        return launcher;
    }

    public ClGemm gemm() {
        return gemm;
    }

    public ClIm2col im2col() {
        return im2col;
    }

    public ClElementwise elementwise() {
        return elementwise;
    }

    public ClChannels channels() {
        return channels;
    }

    public ClPooling pooling() {
        return pooling;
    }

    public ClSoftmaxCrossEntropy softmaxCrossEntropy() {
        return softmaxCrossEntropy;
    }

    public ClSgd sgd() {
        return sgd;
    }

    /** The ops of device-resident training (batched im2col, BatchNorm steps, ...). */
    public ClTraining training() {
        return training;
    }

    /** Blocks until every enqueued op has finished. */
    public void finish() {
        context.finish();
    }

    @Override
    public void close() {
        try {
            programs.close();
        } finally {
            context.close();
        }
    }
}
