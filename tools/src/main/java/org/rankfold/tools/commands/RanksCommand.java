package org.rankfold.tools.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ejml.data.DMatrixRMaj;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.tools.UserError;
import org.rankfold.tools.json.Json;
import org.rankfold.tools.json.VbmfJson;
import org.rankfold.vbmf.evbmf.VbmfResult;
import org.rankfold.vbmf.rank.EvbmfSelector;
import org.rankfold.vbmf.rank.RankChoice;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.Unfolding;

import org.rankfold.tools.options.JsonOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `rankfold ranks`: EVBMF on the mode-0 and mode-1 unfoldings of a 4-D kernel. */
@Command(name = "ranks", mixinStandardHelpOptions = true,
        description = "EVBMF on the mode-0 and mode-1 unfoldings of a 4-D kernel.",
        footer = {"", "Example (from the repository; FILE.npz:NAME picks one array of an archive):",
            "  ./rankfold ranks testdata/golden/trained_kernels.npz:conv3_w"})
public final class RanksCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KERNEL.npy", description = "A 4-D .npy conv kernel [out, in, kh, kw], or FILE.npz:NAME (one array of an archive).")
    Path kernel;

    @Option(names = "--weakening", paramLabel = "W", defaultValue = "1",
            description = "MUSCO weakening r = r_full - W*(r_full - r_evbmf), W in [0, 1] (1: plain EVBMF).")
    double weakening;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws MalformedFileException {
        if (!(weakening >= 0 && weakening <= 1)) {
            throw new UserError("--weakening must be in [0, 1], got " + weakening);
        }
        DenseTensor w = NpyInput.kernel(kernel);
        EvbmfSelector selector = new EvbmfSelector(weakening, 1, Integer.MAX_VALUE);
        RankChoice[] choices = new RankChoice[2];
        DMatrixRMaj[] unfoldings = new DMatrixRMaj[2];
        for (int mode = 0; mode < 2; mode++) {
            unfoldings[mode] = Unfolding.unfold(w, mode);
            choices[mode] = selector.select(unfoldings[mode]);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (jsonOption.json()) {
            ObjectNode o = Json.object();
            o.put("file", kernel.toString());
            o.set("shape", Json.ints(w.shape()));
            o.put("r0", choices[0].rank());
            o.put("r1", choices[1].rank());
            o.put("selector", selector.describe());
            ArrayNode modes = o.putArray("modes");
            for (int mode = 0; mode < 2; mode++) {
                ObjectNode m = modes.addObject();
                m.put("mode", mode);
                m.set("unfolding_shape", Json.ints(unfoldings[mode].numRows, unfoldings[mode].numCols));
                m.put("chosen_rank", choices[mode].rank());
                m.put("evbmf_rank", choices[mode].proposedRank());
                m.put("clamped_to_one", choices[mode].clampedToOne());
                ArrayNode notes = m.putArray("notes");
                choices[mode].notes().forEach(notes::add);
                VbmfJson.fields(m, choices[mode].evbmfDetails().orElseThrow());
            }
            Json.print(out, o);
        } else {
            out.println("EVBMF ranks of " + kernel + " " + java.util.Arrays.toString(w.shape())
                    + (weakening != 1 ? " (" + selector.describe() + ")" : ""));
            out.println("r0 = " + choices[0].rank() + ", r1 = " + choices[1].rank());
            for (int mode = 0; mode < 2; mode++) {
                VbmfResult r = choices[mode].evbmfDetails().orElseThrow();
                out.println();
                out.println("mode " + mode + " unfolding [" + unfoldings[mode].numRows + " x "
                        + unfoldings[mode].numCols + "]: chosen rank " + choices[mode].rank());
                Tables.printEvbmf(out, r, "  ");
                for (String n : choices[mode].notes()) {
                    out.println("  note: " + n);
                }
            }
            out.flush();
        }
        return 0;
    }
}
