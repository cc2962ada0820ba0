package org.rankfold.kernels.opencl;

import java.lang.foreign.MemorySegment;

import org.rankfold.kernels.opencl.bindings.OpenCl;
import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;

/**
 * Part 1 of 4 (docs/architecture.md, OpenCL): one device, its context and one in-order command queue.
 * Commands on the queue run in submission order, so an op may read what the previous op wrote without
 * events; {@link #finish()} waits for all of them. Closing releases the queue, then the context; the
 * buffers and programs made from it must be closed first (their owners do that).
 */
public final class OpenClContext implements AutoCloseable {
    private final OpenCl cl;
    private final DeviceInfo device;
    private final MemorySegment context;
    private final MemorySegment queue;
    private boolean closed;

    private OpenClContext(OpenCl cl, DeviceInfo device) {
        this.cl = cl;
        this.device = device;
        this.context = cl.createContext(device.handle());
        MemorySegment q;
        try {
            q = cl.createCommandQueue(context, device.handle(), 0L);
        } catch (RuntimeException e) {
            cl.releaseContext(context);
            throw e;
        }
        this.queue = q;
    }

    /**
     * Opens the device chosen by {@link OpenClDevices#select} ({@code preferred} < 0: the property, else
     * the first GPU, else device 0).
     */
    public static OpenClContext open(int preferred) throws OpenClUnavailableException {
        OpenCl cl = OpenCl.get();
        OpenClDevices.Discovery d = OpenClDevices.discover(cl);
        if (d.devices().isEmpty()) {
            throw new OpenClUnavailableException(d.unavailableReason().orElse("no OpenCL device"));
        }
        return new OpenClContext(cl, OpenClDevices.select(d, preferred));
    }

    /** Opens a specific discovered device through the given binding. */
    public static OpenClContext open(OpenCl cl, DeviceInfo device) {
        return new OpenClContext(cl, device);
    }

    public OpenCl cl() {
        return cl;
    }

    public DeviceInfo device() {
        return device;
    }

    MemorySegment context() {
        ensureOpen();
        return context;
    }

    MemorySegment queue() {
        ensureOpen();
        return queue;
    }

    /** Blocks until every enqueued command has completed. */
    public void finish() {
        cl.finish(queue());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("OpenCL context for " + device.name() + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cl.finish(queue);
        } finally {
            try {
                cl.releaseCommandQueue(queue);
            } finally {
                cl.releaseContext(context);
            }
        }
    }
}
