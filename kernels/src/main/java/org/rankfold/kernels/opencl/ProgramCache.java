package org.rankfold.kernels.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Part 3 of 4: builds OpenCL programs from the {@code .cl} resources beside this class
 * ({@code org/rankfold/kernels/opencl/NAME.cl}) once per (source, build options) and hands out their
 * kernels, each created once. Every build gets {@code -cl-std=CL1.2} and, when the device has
 * {@code cl_khr_fp64}, {@code -DRANKFOLD_FP64=1}. A failed build throws
 * {@link org.rankfold.kernels.opencl.bindings.OpenClException} with the build log. Closing releases all
 * kernels, then all programs.
 */
public final class ProgramCache implements AutoCloseable {
    private final OpenClContext context;
    private final Map<String, MemorySegment> programs = new LinkedHashMap<>();
    private final Map<String, ClKernel> kernels = new LinkedHashMap<>();
    private boolean closed;

    public ProgramCache(OpenClContext context) {
        this.context = context;
    }

    /** The kernel {@code kernelName} of resource {@code source}.cl built with the given extra options. */
    public synchronized ClKernel kernel(String source, String options, String kernelName) {
        if (closed) {
            throw new IllegalStateException("program cache is closed");
        }
        String programKey = source + "|" + options;
        String kernelKey = programKey + "|" + kernelName;
        ClKernel k = kernels.get(kernelKey);
        if (k != null) {
            return k;
        }
        MemorySegment program = programs.get(programKey);
        if (program == null) {
            program = build(source, options);
            programs.put(programKey, program);
        }
        MemorySegment handle = context.cl().createKernel(program, kernelName);
        try {
            k = new ClKernel(context, kernelName, handle);
        } catch (RuntimeException e) {
            context.cl().releaseKernel(handle);
            throw e;
        }
        kernels.put(kernelKey, k);
        return k;
    }

    /** The full option string a build uses. */
    public String buildOptions(String options) {
        StringBuilder sb = new StringBuilder("-cl-std=CL1.2");
        if (context.device().fp64()) {
            sb.append(" -DRANKFOLD_FP64=1");
        }
        if (options != null && !options.isBlank()) {
            sb.append(' ').append(options.trim());
        }
        return sb.toString();
    }

    /** Number of programs built so far. */
    public synchronized int programCount() {
        return programs.size();
    }

    private MemorySegment build(String source, String options) {
        String text = loadSource(source);
        MemorySegment program = context.cl().createProgramWithSource(context.context(), text);
        try {
            context.cl().buildProgram(program, context.device().handle(), buildOptions(options));
        } catch (RuntimeException e) {
            context.cl().releaseProgram(program);
            throw e;
        }
        return program;
    }

    /** The text of resource {@code NAME.cl} beside this class. */
    public static String loadSource(String source) {
        String resource = source + ".cl";
        try (InputStream in = ProgramCache.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("OpenCL source resource not found: org/rankfold/kernels/opencl/"
                        + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading OpenCL source " + resource, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (ClKernel k : kernels.values()) {
            try {
                context.cl().releaseKernel(k.handle());
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (MemorySegment p : programs.values()) {
            try {
                context.cl().releaseProgram(p);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        kernels.clear();
        programs.clear();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
