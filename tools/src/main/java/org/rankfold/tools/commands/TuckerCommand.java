package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ejml.data.DMatrixRMaj;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.tools.UserError;
import org.rankfold.tools.json.Json;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tucker.Tucker2;
import org.rankfold.vbmf.tucker.Tucker2Options;
import org.rankfold.vbmf.tucker.Tucker2Result;

import org.rankfold.tools.options.JsonOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `rankfold tucker`: Tucker-2 decomposition (HOSVD init, HOOI) of a 4-D kernel at given ranks. */
@Command(name = "tucker", mixinStandardHelpOptions = true,
        description = "Tucker-2 decomposition (HOSVD init, HOOI) of a 4-D kernel at given ranks.",
        footer = {"", "Example (from the repository; FILE.npz:NAME picks one array of an archive):",
            "  ./rankfold tucker testdata/golden/trained_kernels.npz:conv3_w --ranks 10,9 --out runs/conv3-factors.npz"})
public final class TuckerCommand implements Callable<Integer> {

    /** How HOOI stops. */
    enum Stop {
        /** TensorLy's partial_tucker rule: |change of error| < 1e-4 from the 3rd sweep, at most 100 sweeps. */
        tensorly,
        /** Run HOOI to convergence (fit gain below 1e-15 of ‖W‖², at most 2000 sweeps). */
        tight,
        /** No HOOI sweep: the truncated HOSVD. */
        hosvd
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KERNEL.npy", description = "A 4-D .npy conv kernel [out, in, kh, kw], or FILE.npz:NAME (one array of an archive).")
    Path kernel;

    @Option(names = "--ranks", required = true, split = ",", paramLabel = "R0,R1",
            description = "Ranks of the output-channel (1..out) and input-channel (1..in) factors.")
    int[] ranks;

    @Option(names = "--stop", paramLabel = "RULE", defaultValue = "tensorly",
            description = "HOOI stopping rule: ${COMPLETION-CANDIDATES}.")
    Stop stop;

    @Option(names = "--out", paramLabel = "FACTORS.npz",
            description = "Write core [R0,R1,kh,kw], U0 [out,R0], U1 [in,R1] (float64) and the errors.")
    Path out;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws IOException {
        if (ranks.length != 2) {
            throw new UserError("--ranks takes two ranks R0,R1, got " + ranks.length + " value(s)");
        }
        if (out != null && Files.isDirectory(out)) {
            throw new UserError("--out " + out + " is a directory; give a file name such as factors.npz");
        }
        if (out != null && out.toAbsolutePath().getParent() != null
                && !Files.isDirectory(out.toAbsolutePath().getParent())) {
            throw new UserError("--out: directory " + out.toAbsolutePath().getParent() + " does not exist");
        }
        DenseTensor w = NpyInput.kernel(kernel);
        int s = w.dim(0);
        int c = w.dim(1);
        if (ranks[0] < 1 || ranks[0] > s) {
            throw new UserError("R0 must be in [1, " + s + "] (the kernel's output channels), got " + ranks[0]);
        }
        if (ranks[1] < 1 || ranks[1] > c) {
            throw new UserError("R1 must be in [1, " + c + "] (the kernel's input channels), got " + ranks[1]);
        }
        Tucker2Options options = switch (stop) {
            case tensorly -> Tucker2Options.tensorly();
            case tight -> Tucker2Options.tight();
            case hosvd -> Tucker2Options.hosvdOnly();
        };
        Tucker2Result r = Tucker2.decompose(w, ranks[0], ranks[1], options);
        if (out != null) {
            write(out, r);
        }
        PrintWriter pw = spec.commandLine().getOut();
        if (jsonOption.json()) {
            ObjectNode o = Json.object();
            o.put("file", kernel.toString());
            o.set("shape", Json.ints(w.shape()));
            o.set("ranks", Json.ints(r.rankOut(), r.rankIn()));
            o.put("stop", stop.name());
            Json.number(o, "relative_error", r.relativeError());
            Json.number(o, "hosvd_relative_error", r.hosvdRelativeError());
            o.put("iterations", r.iterations());
            o.put("params_before", r.originalParameterCount());
            o.put("params_after", r.parameterCount());
            if (out != null) {
                o.put("out", out.toString());
            } else {
                o.putNull("out");
            }
            Json.print(pw, o);
        } else {
            pw.println("Tucker-2 of " + kernel + " " + Arrays.toString(w.shape()) + " at ranks (" + r.rankOut() + ", "
                    + r.rankIn() + "), stopping rule " + stop.name());
            pw.println("relative error        " + Tables.num(r.relativeError()));
            pw.println("HOSVD relative error  " + Tables.num(r.hosvdRelativeError()));
            pw.println("HOOI sweeps           " + r.iterations());
            pw.println("parameters            " + r.originalParameterCount() + " -> " + r.parameterCount());
            if (out != null) {
                pw.println("factors written to    " + out);
            }
            pw.flush();
        }
        return 0;
    }

    private static void write(Path file, Tucker2Result r) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("core", NpyArray.ofDoubles(r.core().shape(), r.core().values()));
        arrays.put("U0", matrix(r.u0()));
        arrays.put("U1", matrix(r.u1()));
        arrays.put("ranks", NpyArray.ofLongs(new int[] {2}, new long[] {r.rankOut(), r.rankIn()}));
        arrays.put("relative_error", NpyArray.ofDoubles(new int[] {1}, new double[] {r.relativeError()}));
        arrays.put("hosvd_relative_error", NpyArray.ofDoubles(new int[] {1}, new double[] {r.hosvdRelativeError()}));
        arrays.put("iterations", NpyArray.ofLongs(new int[] {1}, new long[] {r.iterations()}));
        Npz.write(file, arrays);
    }

    private static NpyArray matrix(DMatrixRMaj m) {
        return NpyArray.ofDoubles(new int[] {m.numRows, m.numCols},
                Arrays.copyOf(m.data, m.numRows * m.numCols));
    }
}
