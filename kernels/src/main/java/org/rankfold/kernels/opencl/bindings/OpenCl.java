package org.rankfold.kernels.opencl.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcall handles for the OpenCL 1.2 calls Rankfold needs, bound with {@code java.lang.foreign} to the
 * system's ICD loader {@code libOpenCL.so.1} (no JNI, no JOCL). Every status goes through
 * {@link ClStatus#check}; every created object is counted until released, so tests can prove that
 * nothing leaks ({@link #liveObjects()}).
 *
 * <p>C types: {@code cl_int}/{@code cl_uint}/{@code cl_bool} are 32-bit ints; {@code size_t},
 * {@code cl_ulong} and the {@code cl_bitfield}s are 64-bit longs (LP64 Linux, the only ABI we bind);
 * object handles ({@code cl_context}, {@code cl_mem}, ...) are pointers, held as zero-length
 * {@link MemorySegment}s. Temporaries live in a confined arena per call.
 */
public final class OpenCl {
    /** The loader's soname; {@code -Drankfold.opencl.library} names another (tests, unusual installs). */
    public static final String DEFAULT_LIBRARY = "libOpenCL.so.1";

    /** Kinds of OpenCL objects that must be released. */
    public enum ObjectKind { CONTEXT, COMMAND_QUEUE, MEM, PROGRAM, KERNEL, EVENT }

    private static final Object LOCK = new Object();
    private static OpenCl shared;
    private static OpenClUnavailableException sharedFailure;

    private final String library;
    private final Map<ObjectKind, AtomicLong> live = new EnumMap<>(ObjectKind.class);

    private final MethodHandle getPlatformIDs;
    private final MethodHandle getPlatformInfo;
    private final MethodHandle getDeviceIDs;
    private final MethodHandle getDeviceInfo;
    private final MethodHandle createContext;
    private final MethodHandle releaseContext;
    private final MethodHandle createCommandQueue;
    private final MethodHandle releaseCommandQueue;
    private final MethodHandle createBuffer;
    private final MethodHandle releaseMemObject;
    private final MethodHandle enqueueReadBuffer;
    private final MethodHandle enqueueWriteBuffer;
    private final MethodHandle enqueueFillBuffer;
    private final MethodHandle enqueueCopyBuffer;
    private final MethodHandle createProgramWithSource;
    private final MethodHandle buildProgram;
    private final MethodHandle getProgramBuildInfo;
    private final MethodHandle releaseProgram;
    private final MethodHandle createKernel;
    private final MethodHandle getKernelWorkGroupInfo;
    private final MethodHandle setKernelArg;
    private final MethodHandle releaseKernel;
    private final MethodHandle enqueueNDRangeKernel;
    private final MethodHandle finish;
    private final MethodHandle waitForEvents;
    private final MethodHandle releaseEvent;

    private OpenCl(String library, SymbolLookup lookup) throws OpenClUnavailableException {
        this.library = library;
        for (ObjectKind k : ObjectKind.values()) {
            live.put(k, new AtomicLong());
        }
        Binder b = new Binder(lookup, library);
        // cl_int clGetPlatformIDs(cl_uint, cl_platform_id*, cl_uint*)
        getPlatformIDs = b.bind("clGetPlatformIDs", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
        // cl_int clGetPlatformInfo(cl_platform_id, cl_platform_info, size_t, void*, size_t*)
        getPlatformInfo = b.bind("clGetPlatformInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        // cl_int clGetDeviceIDs(cl_platform_id, cl_device_type, cl_uint, cl_device_id*, cl_uint*)
        getDeviceIDs = b.bind("clGetDeviceIDs", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        // cl_int clGetDeviceInfo(cl_device_id, cl_device_info, size_t, void*, size_t*)
        getDeviceInfo = b.bind("clGetDeviceInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        // cl_context clCreateContext(const cl_context_properties*, cl_uint, const cl_device_id*, notify, void*, cl_int*)
        createContext = b.bind("clCreateContext", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        releaseContext = b.bind("clReleaseContext", JAVA_INT, ADDRESS);
        // cl_command_queue clCreateCommandQueue(cl_context, cl_device_id, cl_command_queue_properties, cl_int*)
        createCommandQueue = b.bind("clCreateCommandQueue", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
        releaseCommandQueue = b.bind("clReleaseCommandQueue", JAVA_INT, ADDRESS);
        // cl_mem clCreateBuffer(cl_context, cl_mem_flags, size_t, void*, cl_int*)
        createBuffer = b.bind("clCreateBuffer", ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS);
        releaseMemObject = b.bind("clReleaseMemObject", JAVA_INT, ADDRESS);
        // cl_int clEnqueueReadBuffer(queue, mem, cl_bool, size_t offset, size_t size, void*, cl_uint, const cl_event*, cl_event*)
        enqueueReadBuffer = b.bind("clEnqueueReadBuffer", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG,
                ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        enqueueWriteBuffer = b.bind("clEnqueueWriteBuffer", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG,
                ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        // cl_int clEnqueueFillBuffer(queue, mem, const void* pattern, size_t pattern_size, size_t offset, size_t size, ...)
        enqueueFillBuffer = b.bind("clEnqueueFillBuffer", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG,
                JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        // cl_int clEnqueueCopyBuffer(queue, src, dst, size_t src_offset, size_t dst_offset, size_t size, ...)
        enqueueCopyBuffer = b.bind("clEnqueueCopyBuffer", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG,
                JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        // cl_program clCreateProgramWithSource(cl_context, cl_uint, const char**, const size_t*, cl_int*)
        createProgramWithSource = b.bind("clCreateProgramWithSource", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS,
                ADDRESS);
        // cl_int clBuildProgram(cl_program, cl_uint, const cl_device_id*, const char*, notify, void*)
        buildProgram = b.bind("clBuildProgram", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        // cl_int clGetProgramBuildInfo(cl_program, cl_device_id, cl_program_build_info, size_t, void*, size_t*)
        getProgramBuildInfo = b.bind("clGetProgramBuildInfo", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG,
                ADDRESS, ADDRESS);
        releaseProgram = b.bind("clReleaseProgram", JAVA_INT, ADDRESS);
        // cl_kernel clCreateKernel(cl_program, const char*, cl_int*)
        createKernel = b.bind("clCreateKernel", ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        // cl_int clGetKernelWorkGroupInfo(cl_kernel, cl_device_id, cl_kernel_work_group_info, size_t, void*, size_t*)
        getKernelWorkGroupInfo = b.bind("clGetKernelWorkGroupInfo", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG,
                ADDRESS, ADDRESS);
        // cl_int clSetKernelArg(cl_kernel, cl_uint, size_t, const void*)
        setKernelArg = b.bind("clSetKernelArg", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS);
        releaseKernel = b.bind("clReleaseKernel", JAVA_INT, ADDRESS);
        // cl_int clEnqueueNDRangeKernel(queue, kernel, cl_uint dim, const size_t* offset, const size_t* global,
        //                               const size_t* local, cl_uint, const cl_event*, cl_event*)
        enqueueNDRangeKernel = b.bind("clEnqueueNDRangeKernel", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS,
                ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        finish = b.bind("clFinish", JAVA_INT, ADDRESS);
        // cl_int clWaitForEvents(cl_uint, const cl_event*)
        waitForEvents = b.bind("clWaitForEvents", JAVA_INT, JAVA_INT, ADDRESS);
        releaseEvent = b.bind("clReleaseEvent", JAVA_INT, ADDRESS);
    }

    /**
     * The process-wide binding to {@code -Drankfold.opencl.library} (default {@value #DEFAULT_LIBRARY}),
     * loaded once; a failure is remembered and rethrown with the same reason.
     */
    public static OpenCl get() throws OpenClUnavailableException {
        synchronized (LOCK) {
            if (shared == null && sharedFailure == null) {
                try {
                    shared = load(System.getProperty("rankfold.opencl.library", DEFAULT_LIBRARY));
                    SignalHandlers.chainingWarning().ifPresent(System.err::println);
                } catch (OpenClUnavailableException e) {
                    sharedFailure = e;
                }
            }
            if (sharedFailure != null) {
                throw new OpenClUnavailableException(sharedFailure.getMessage(), sharedFailure);
            }
            return shared;
        }
    }

    /** Binds the named loader library afresh (the library stays loaded for the life of the process). */
    @SuppressWarnings("restricted") // loading a native library is the point of this class
    public static OpenCl load(String library) throws OpenClUnavailableException {
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new OpenClUnavailableException("the OpenCL loader library " + library + " could not be loaded ("
                    + e.getMessage() + "); install an ICD loader and a driver, e.g. on Debian/Ubuntu "
                    + "'apt-get install ocl-icd-libopencl1 pocl-opencl-icd' (CPU) or the GPU vendor's OpenCL driver", e);
        }
        return new OpenCl(library, lookup);
    }

    /** The library this binding was loaded from. */
    public String library() {
        return library;
    }

    /** Objects created through this binding and not yet released, by kind (a snapshot). */
    public Map<ObjectKind, Long> liveObjects() {
        Map<ObjectKind, Long> m = new EnumMap<>(ObjectKind.class);
        live.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    // ---- platforms and devices ----

    /**
     * The platform ids; empty when the loader has no platform ({@code CL_PLATFORM_NOT_FOUND_KHR}, which
     * the ICD loader returns when no driver is registered).
     */
    public List<MemorySegment> platformIds() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            int status = invokeInt(getPlatformIDs, "clGetPlatformIDs", 0, MemorySegment.NULL, count);
            if (status == ClStatus.CL_PLATFORM_NOT_FOUND_KHR) {
                return List.of();
            }
            ClStatus.check("clGetPlatformIDs", status);
            int n = count.get(JAVA_INT, 0);
            if (n == 0) {
                return List.of();
            }
            MemorySegment ids = arena.allocate(ADDRESS, n);
            ClStatus.check("clGetPlatformIDs", invokeInt(getPlatformIDs, "clGetPlatformIDs", n, ids, MemorySegment.NULL));
            return handles(ids, n);
        }
    }

    /** A string property of a platform (CL_PLATFORM_NAME, ...). */
    public String platformInfoString(MemorySegment platform, int param) {
        return infoString("clGetPlatformInfo", getPlatformInfo, platform, param);
    }

    /** The devices of a platform of the given type; empty on {@code CL_DEVICE_NOT_FOUND}. */
    public List<MemorySegment> deviceIds(MemorySegment platform, long deviceType) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            int status = invokeInt(getDeviceIDs, "clGetDeviceIDs", platform, deviceType, 0, MemorySegment.NULL, count);
            if (status == ClStatus.CL_DEVICE_NOT_FOUND) {
                return List.of();
            }
            ClStatus.check("clGetDeviceIDs", status);
            int n = count.get(JAVA_INT, 0);
            if (n == 0) {
                return List.of();
            }
            MemorySegment ids = arena.allocate(ADDRESS, n);
            ClStatus.check("clGetDeviceIDs",
                    invokeInt(getDeviceIDs, "clGetDeviceIDs", platform, deviceType, n, ids, MemorySegment.NULL));
            return handles(ids, n);
        }
    }

    /** A string property of a device (CL_DEVICE_NAME, ...). */
    public String deviceInfoString(MemorySegment device, int param) {
        return infoString("clGetDeviceInfo", getDeviceInfo, device, param);
    }

    /** A {@code cl_uint} (or {@code cl_bool}) property of a device. */
    public int deviceInfoInt(MemorySegment device, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            ClStatus.check("clGetDeviceInfo", invokeInt(getDeviceInfo, "clGetDeviceInfo", device, param,
                    JAVA_INT.byteSize(), v, MemorySegment.NULL));
            return v.get(JAVA_INT, 0);
        }
    }

    /** A {@code cl_ulong}, {@code size_t} or {@code cl_bitfield} property of a device (all 64-bit here). */
    public long deviceInfoLong(MemorySegment device, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_LONG);
            ClStatus.check("clGetDeviceInfo", invokeInt(getDeviceInfo, "clGetDeviceInfo", device, param,
                    JAVA_LONG.byteSize(), v, MemorySegment.NULL));
            return v.get(JAVA_LONG, 0);
        }
    }

    // ---- context and queue ----

    /** A context on one device. Release with {@link #releaseContext}. */
    public MemorySegment createContext(MemorySegment device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devices = arena.allocate(ADDRESS);
            devices.set(ADDRESS, 0, device);
            MemorySegment err = arena.allocate(JAVA_INT);
            MemorySegment ctx = invokeAddress(createContext, "clCreateContext", MemorySegment.NULL, 1, devices,
                    MemorySegment.NULL, MemorySegment.NULL, err);
            return created("clCreateContext", ctx, err, ObjectKind.CONTEXT);
        }
    }

    public void releaseContext(MemorySegment context) {
        release("clReleaseContext", releaseContext, context, ObjectKind.CONTEXT);
    }

    /** An in-order command queue; {@code properties} e.g. {@link ClConstants#CL_QUEUE_PROFILING_ENABLE} or 0. */
    public MemorySegment createCommandQueue(MemorySegment context, MemorySegment device, long properties) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(JAVA_INT);
            MemorySegment q = invokeAddress(createCommandQueue, "clCreateCommandQueue", context, device, properties, err);
            return created("clCreateCommandQueue", q, err, ObjectKind.COMMAND_QUEUE);
        }
    }

    public void releaseCommandQueue(MemorySegment queue) {
        release("clReleaseCommandQueue", releaseCommandQueue, queue, ObjectKind.COMMAND_QUEUE);
    }

    /** Blocks until every command in the queue has completed. */
    public void finish(MemorySegment queue) {
        ClStatus.check("clFinish", invokeInt(finish, "clFinish", queue));
    }

    // ---- buffers ----

    /** A device buffer of {@code bytes} bytes, uninitialized. Release with {@link #releaseMemObject}. */
    public MemorySegment createBuffer(MemorySegment context, long flags, long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(JAVA_INT);
            MemorySegment mem = invokeAddress(createBuffer, "clCreateBuffer", context, flags, bytes, MemorySegment.NULL, err);
            return created("clCreateBuffer", mem, err, ObjectKind.MEM);
        }
    }

    public void releaseMemObject(MemorySegment mem) {
        release("clReleaseMemObject", releaseMemObject, mem, ObjectKind.MEM);
    }

    /** Blocking copy of {@code host.byteSize()} bytes from host memory into the buffer at offsetBytes. */
    public void writeBuffer(MemorySegment queue, MemorySegment mem, long offsetBytes, MemorySegment host) {
        ClStatus.check("clEnqueueWriteBuffer", invokeInt(enqueueWriteBuffer, "clEnqueueWriteBuffer", queue, mem,
                ClConstants.CL_TRUE, offsetBytes, host.byteSize(), host, 0, MemorySegment.NULL, MemorySegment.NULL));
    }

    /** Blocking copy of {@code host.byteSize()} bytes from the buffer at offsetBytes into host memory. */
    public void readBuffer(MemorySegment queue, MemorySegment mem, long offsetBytes, MemorySegment host) {
        ClStatus.check("clEnqueueReadBuffer", invokeInt(enqueueReadBuffer, "clEnqueueReadBuffer", queue, mem,
                ClConstants.CL_TRUE, offsetBytes, host.byteSize(), host, 0, MemorySegment.NULL, MemorySegment.NULL));
    }

    /** Enqueues filling {@code bytes} bytes at offsetBytes with a repeated float (both multiples of 4). */
    public void fillBuffer(MemorySegment queue, MemorySegment mem, float value, long offsetBytes, long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pattern = arena.allocate(JAVA_FLOAT);
            pattern.set(JAVA_FLOAT, 0, value);
            ClStatus.check("clEnqueueFillBuffer", invokeInt(enqueueFillBuffer, "clEnqueueFillBuffer", queue, mem,
                    pattern, JAVA_FLOAT.byteSize(), offsetBytes, bytes, 0, MemorySegment.NULL, MemorySegment.NULL));
        }
    }

    /** Enqueues a device-side copy of {@code bytes} bytes between (or within, without overlap) buffers. */
    public void copyBuffer(MemorySegment queue, MemorySegment src, MemorySegment dst, long srcOffsetBytes,
                           long dstOffsetBytes, long bytes) {
        ClStatus.check("clEnqueueCopyBuffer", invokeInt(enqueueCopyBuffer, "clEnqueueCopyBuffer", queue, src, dst,
                srcOffsetBytes, dstOffsetBytes, bytes, 0, MemorySegment.NULL, MemorySegment.NULL));
    }

    // ---- programs and kernels ----

    /** A program from one source string. Release with {@link #releaseProgram}. */
    public MemorySegment createProgramWithSource(MemorySegment context, String source) {
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
            MemorySegment text = arena.allocate(bytes.length + 1L);
            MemorySegment.copy(bytes, 0, text, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
            MemorySegment strings = arena.allocate(ADDRESS);
            strings.set(ADDRESS, 0, text);
            MemorySegment lengths = arena.allocate(JAVA_LONG);
            lengths.set(JAVA_LONG, 0, bytes.length);
            MemorySegment err = arena.allocate(JAVA_INT);
            MemorySegment p = invokeAddress(createProgramWithSource, "clCreateProgramWithSource", context, 1, strings,
                    lengths, err);
            return created("clCreateProgramWithSource", p, err, ObjectKind.PROGRAM);
        }
    }

    /**
     * Builds the program for one device; on failure the exception carries the build log
     * ({@code CL_BUILD_PROGRAM_FAILURE} with the compiler's messages).
     */
    public void buildProgram(MemorySegment program, MemorySegment device, String options) {
        int status;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devices = arena.allocate(ADDRESS);
            devices.set(ADDRESS, 0, device);
            MemorySegment opts = arena.allocateFrom(options == null ? "" : options);
            status = invokeInt(buildProgram, "clBuildProgram", program, 1, devices, opts, MemorySegment.NULL,
                    MemorySegment.NULL);
        }
        if (status != ClStatus.CL_SUCCESS) {
            String log;
            try {
                log = programBuildLog(program, device);
            } catch (OpenClException e) {
                log = "(build log unavailable: " + e.getMessage() + ")";
            }
            ClStatus.check("clBuildProgram", status, log);
        }
    }

    /** The build log of the program on a device (compiler warnings and errors). */
    public String programBuildLog(MemorySegment program, MemorySegment device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            ClStatus.check("clGetProgramBuildInfo", invokeInt(getProgramBuildInfo, "clGetProgramBuildInfo", program,
                    device, ClConstants.CL_PROGRAM_BUILD_LOG, 0L, MemorySegment.NULL, size));
            long n = size.get(JAVA_LONG, 0);
            if (n <= 1) {
                return "";
            }
            MemorySegment text = arena.allocate(n);
            ClStatus.check("clGetProgramBuildInfo", invokeInt(getProgramBuildInfo, "clGetProgramBuildInfo", program,
                    device, ClConstants.CL_PROGRAM_BUILD_LOG, n, text, MemorySegment.NULL));
            return text.getString(0);
        }
    }

    public void releaseProgram(MemorySegment program) {
        release("clReleaseProgram", releaseProgram, program, ObjectKind.PROGRAM);
    }

    /** A kernel object for the named {@code __kernel} function of a built program. */
    public MemorySegment createKernel(MemorySegment program, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(JAVA_INT);
            MemorySegment k = invokeAddress(createKernel, "clCreateKernel", program, arena.allocateFrom(name), err);
            return created("clCreateKernel(" + name + ")", k, err, ObjectKind.KERNEL);
        }
    }

    /** A {@code size_t}/{@code cl_ulong} work-group property of a kernel on a device. */
    public long kernelWorkGroupInfo(MemorySegment kernel, MemorySegment device, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_LONG);
            ClStatus.check("clGetKernelWorkGroupInfo", invokeInt(getKernelWorkGroupInfo, "clGetKernelWorkGroupInfo",
                    kernel, device, param, JAVA_LONG.byteSize(), v, MemorySegment.NULL));
            return v.get(JAVA_LONG, 0);
        }
    }

    /** Sets argument {@code index} to the bytes of {@code value} (a pointer-sized handle or a scalar). */
    public void setKernelArg(MemorySegment kernel, int index, MemorySegment value) {
        int status = invokeInt(setKernelArg, "clSetKernelArg", kernel, index, value.byteSize(), value);
        ClStatus.check("clSetKernelArg(" + index + ")", status);
    }

    /** Sets argument {@code index} to {@code bytes} bytes of uninitialized {@code __local} memory. */
    public void setKernelArgLocal(MemorySegment kernel, int index, long bytes) {
        int status = invokeInt(setKernelArg, "clSetKernelArg", kernel, index, bytes, MemorySegment.NULL);
        ClStatus.check("clSetKernelArg(" + index + ", __local)", status);
    }

    public void releaseKernel(MemorySegment kernel) {
        release("clReleaseKernel", releaseKernel, kernel, ObjectKind.KERNEL);
    }

    /**
     * Enqueues an NDRange of {@code global.length} dimensions; local null lets the driver choose. Returns
     * the completion event when {@code wantEvent} (release it with {@link #releaseEvent}), else NULL.
     */
    public MemorySegment enqueueNDRange(MemorySegment queue, MemorySegment kernel, long[] global, long[] local,
                                        boolean wantEvent) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment g = arena.allocateFrom(JAVA_LONG, global);
            MemorySegment l = local == null ? MemorySegment.NULL : arena.allocateFrom(JAVA_LONG, local);
            MemorySegment event = wantEvent ? arena.allocate(ADDRESS) : MemorySegment.NULL;
            int status = invokeInt(enqueueNDRangeKernel, "clEnqueueNDRangeKernel", queue, kernel, global.length,
                    MemorySegment.NULL, g, l, 0, MemorySegment.NULL, event);
            ClStatus.check("clEnqueueNDRangeKernel", status);
            if (!wantEvent) {
                return MemorySegment.NULL;
            }
            live.get(ObjectKind.EVENT).incrementAndGet();
            return event.get(ADDRESS, 0);
        }
    }

    /** Blocks until the event has completed; a failed command surfaces as its error status. */
    public void waitForEvent(MemorySegment event) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment list = arena.allocate(ADDRESS);
            list.set(ADDRESS, 0, event);
            ClStatus.check("clWaitForEvents", invokeInt(waitForEvents, "clWaitForEvents", 1, list));
        }
    }

    public void releaseEvent(MemorySegment event) {
        release("clReleaseEvent", releaseEvent, event, ObjectKind.EVENT);
    }

    // ---- helpers ----

    private MemorySegment created(String call, MemorySegment handle, MemorySegment err, ObjectKind kind) {
        ClStatus.check(call, err.get(JAVA_INT, 0));
        if (handle.equals(MemorySegment.NULL)) {
            throw new IllegalStateException(call + " returned a NULL handle with CL_SUCCESS (a broken driver)");
        }
        live.get(kind).incrementAndGet();
        return handle;
    }

    private void release(String call, MethodHandle h, MemorySegment handle, ObjectKind kind) {
        ClStatus.check(call, invokeInt(h, call, handle));
        live.get(kind).decrementAndGet();
    }

    private String infoString(String call, MethodHandle h, MemorySegment object, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            ClStatus.check(call, invokeInt(h, call, object, param, 0L, MemorySegment.NULL, size));
            long n = size.get(JAVA_LONG, 0);
            if (n <= 1) {
                return "";
            }
            MemorySegment text = arena.allocate(n);
            ClStatus.check(call, invokeInt(h, call, object, param, n, text, MemorySegment.NULL));
            return text.getString(0).strip();
        }
    }

    private static List<MemorySegment> handles(MemorySegment ids, int n) {
        List<MemorySegment> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ids.getAtIndex(ADDRESS, i));
        }
        return List.copyOf(out);
    }

    /*
     * MethodHandle.invokeWithArguments declares Throwable although a downcall throws nothing checked:
     * errors come back as status codes. Unchecked exceptions (bad arguments to the linker) pass through
     * as they are; anything else cannot happen and is reported as an internal error naming the call.
     * invokeWithArguments instead of invokeExact keeps one helper per return type; the boxing costs
     * nanoseconds next to the microseconds of an OpenCL call.
     */
    private static int invokeInt(MethodHandle h, String call, Object... args) {
        try {
            return (int) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("downcall " + call + " threw " + t, t);
        }
    }

    private static MemorySegment invokeAddress(MethodHandle h, String call, Object... args) {
        try {
            return (MemorySegment) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("downcall " + call + " threw " + t, t);
        }
    }

    /** Looks up symbols and makes downcall handles, failing with the symbol's name. */
    private record Binder(SymbolLookup lookup, String library) {
        @SuppressWarnings("restricted") // downcalls into the OpenCL loader are the point of this class
        MethodHandle bind(String symbol, MemoryLayout result, MemoryLayout... args) throws OpenClUnavailableException {
            MemorySegment address = lookup.find(symbol).orElseThrow(() -> new OpenClUnavailableException(
                    library + " lacks " + symbol + " (an OpenCL 1.2 loader is required)"));
            return Linker.nativeLinker().downcallHandle(address, FunctionDescriptor.of(result, args));
        }
    }
}
