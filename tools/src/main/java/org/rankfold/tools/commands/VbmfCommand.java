package org.rankfold.tools.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ejml.data.DMatrixRMaj;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.tools.UserError;
import org.rankfold.tools.json.Json;
import org.rankfold.tools.json.VbmfJson;
import org.rankfold.vbmf.evbmf.Evbmf;
import org.rankfold.vbmf.evbmf.Vbmf;
import org.rankfold.vbmf.evbmf.VbmfResult;

import org.rankfold.tools.options.JsonOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `rankfold vbmf`: EVBMF of one matrix: rank, sigma2, threshold, singular values and shrunk singular values. */
@Command(name = "vbmf", mixinStandardHelpOptions = true,
        description = "EVBMF of one matrix: rank, sigma2, threshold, singular values and shrunk singular values.",
        footer = {"", "Example (from the repository; FILE.npz:NAME picks one array of an archive):",
            "  ./rankfold vbmf testdata/golden/evbmf/trained_conv3_mode0.npz:Y --json"})
public final class VbmfCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MATRIX.npy", description = "A 2-D .npy array (any float or integer dtype), or FILE.npz:NAME (one array of an archive).")
    Path matrix;

    @Option(names = "--sigma2", paramLabel = "V",
            description = "Noise variance (> 0); estimated by minimizing the free energy when absent.")
    Double sigma2;

    @Option(names = "--cacb", paramLabel = "C",
            description = "Plain (non-empirical) VBMF with this fixed product of prior variances (> 0) instead of EVBMF.")
    Double cacb;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws MalformedFileException {
        if (sigma2 != null && (!(sigma2 > 0) || !Double.isFinite(sigma2))) {
            throw new UserError("--sigma2 must be a finite number > 0, got " + sigma2);
        }
        if (cacb != null && (!(cacb > 0) || !Double.isFinite(cacb))) {
            throw new UserError("--cacb must be a finite number > 0, got " + cacb);
        }
        DMatrixRMaj y = NpyInput.matrix(matrix);
        VbmfResult r;
        if (cacb != null) {
            r = Vbmf.run(y, cacb, sigma2 == null ? Double.NaN : sigma2, false);
        } else {
            r = sigma2 == null ? Evbmf.estimate(y) : Evbmf.withNoiseVariance(y, sigma2);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (jsonOption.json()) {
            ObjectNode o = Json.object();
            o.put("file", matrix.toString());
            o.set("shape", Json.ints(y.numRows, y.numCols));
            o.put("method", r.empirical() ? "evbmf" : "vbmf");
            if (cacb != null) {
                o.put("cacb", cacb);
            }
            Json.print(out, VbmfJson.fields(o, r));
        } else {
            out.println((r.empirical() ? "EVBMF" : "VBMF (cacb = " + cacb + ")") + " of " + matrix + " [" + y.numRows + " x " + y.numCols + "]"
                    + (r.transposed() ? " (tall: solved on the transpose)" : ""));
            Tables.printEvbmf(out, r, "");
            out.flush();
        }
        return 0;
    }
}
