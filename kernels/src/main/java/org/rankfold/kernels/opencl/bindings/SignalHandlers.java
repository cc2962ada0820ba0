package org.rankfold.kernels.opencl.bindings;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Who handles the signals the JVM relies on, and whether the JVM was started with signal chaining.
 *
 * <p>Why it matters: the JVM turns SIGSEGV (safepoint polls, implicit null checks), SIGBUS, SIGILL and SIGFPE
 * into ordinary control flow. An OpenCL driver may install its own handlers over them: PoCL's compiler, LLVM,
 * registers crash handlers with {@code SA_RESETHAND} for SIGSEGV/SIGBUS/SIGILL when it builds a program, and
 * PoCL a SIGFPE handler. A JVM signal that then arrives runs LLVM's handler, which resets itself to the
 * default action; a second one in that window kills the process with a bare "Segmentation fault" and no
 * crash report (seen once in CI, in the middle of the device tests). HotSpot's remedy is signal chaining:
 * {@code libjsig.so}, preloaded, keeps the JVM's handlers installed and calls the driver's for the signals
 * that are not the JVM's. {@code ./rankfold} and the test runner preload it; {@link #chainingWarning()}
 * says what to do where it is missing.
 */
public final class SignalHandlers {
    public static final int SIGILL = 4;
    public static final int SIGBUS = 7;
    public static final int SIGFPE = 8;
    public static final int SIGSEGV = 11;

    /** {@code struct sigaction} on x86-64 glibc is 152 bytes; the handler pointer comes first. */
    private static final long SIGACTION_BYTES = 256;
    /** {@code Dl_info}: dli_fname, dli_fbase, dli_sname, dli_saddr. */
    private static final long DL_INFO_BYTES = 4 * ADDRESS.byteSize();

    private SignalHandlers() {
    }

    /**
     * The file name of the shared object whose function now handles {@code signal} ("libjvm.so" when it is
     * the JVM's), {@code SIG_DFL}/{@code SIG_IGN}, or empty where it cannot be asked (not Linux, no libc symbols).
     */
    @SuppressWarnings("restricted") // a query of the process's own signal table
    public static Optional<String> owner(int signal) {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> sigaction = linker.defaultLookup().find("sigaction");
        Optional<MemorySegment> dladdr = linker.defaultLookup().find("dladdr");
        if (!isLinux() || sigaction.isEmpty() || dladdr.isEmpty()) {
            return Optional.empty();
        }
        MethodHandle query = linker.downcallHandle(sigaction.get(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle where = linker.downcallHandle(dladdr.get(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment action = arena.allocate(SIGACTION_BYTES, 16);
            if ((int) query.invokeExact(signal, MemorySegment.NULL, action) != 0) {
                return Optional.empty();
            }
            long handler = action.get(ADDRESS, 0).address();
            if (handler == 0) {
                return Optional.of("SIG_DFL");
            }
            if (handler == 1) {
                return Optional.of("SIG_IGN");
            }
            MemorySegment info = arena.allocate(DL_INFO_BYTES, 8);
            if ((int) where.invokeExact(MemorySegment.ofAddress(handler), info) == 0) {
                return Optional.of("an address in no shared object (0x" + Long.toHexString(handler) + ")");
            }
            MemorySegment name = info.get(ADDRESS, 0);
            String path = name.address() == 0 ? "?" : name.reinterpret(4096).getString(0, StandardCharsets.UTF_8);
            return Optional.of(Path.of(path).getFileName().toString());
        } catch (Throwable t) {
            throw new IllegalStateException("querying the handler of signal " + signal + " failed", t);
        }
    }

    /** Whether HotSpot's signal-chaining library is loaded in this process (/proc/self/maps; true off Linux). */
    public static boolean chainingLoaded() {
        if (!isLinux()) {
            return true;
        }
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("/libjsig.so");
        } catch (IOException e) {
            return true; // cannot tell: say nothing rather than warn wrongly
        }
    }

    /** The warning to print before using OpenCL in a JVM started without signal chaining, or empty. */
    public static Optional<String> chainingWarning() {
        if (chainingLoaded()) {
            return Optional.empty();
        }
        return Optional.of("warning: this JVM was started without libjsig.so (signal chaining); the OpenCL driver's "
                + "compiler may replace the JVM's signal handlers, which can kill the process with a bare 'Segmentation "
                + "fault'. ./rankfold preloads it; when starting java yourself, set LD_PRELOAD=$JAVA_HOME/lib/libjsig.so");
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }
}
