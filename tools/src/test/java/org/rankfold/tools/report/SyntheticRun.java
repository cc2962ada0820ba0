package org.rankfold.tools.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ejml.data.DMatrixRMaj;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.vbmf.audit.AuditJson;
import org.rankfold.vbmf.audit.ConvCost;
import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.vbmf.audit.UnfoldingAudit;
import org.rankfold.vbmf.evbmf.Evbmf;
import org.rankfold.vbmf.evbmf.VbmfResult;
import org.rankfold.vbmf.pipeline.CompressionConfig;
import org.rankfold.vbmf.pipeline.RunDirectory;

/**
 * A run directory written in the pipeline's formats, with the pipeline's own writers where they are
 * public ({@link RunDirectory} for config/metrics/audit/JSON, {@link AuditJson} for records,
 * {@link CompressionConfig#toJson()}), and {@code summary.json}/{@code progress.json} in the shape
 * {@code SummaryBuilder}/{@code CompressionPipeline} write. The spectra are real EVBMF results on
 * matrices with a planted rank plus noise. Text fields carry HTML injection attempts.
 */
final class SyntheticRun {
    /** A layer name that would run a script if it were not escaped. */
    static final String EVIL_LAYER = "conv2<script>alert(\"x\")</script>";
    /** A note with an event handler, quotes and an ampersand. */
    static final String EVIL_NOTE = "skip: <img src=x onerror=alert(1)> & \"quoted\" 'single'";
    /** A dataset name that tries to close the title. */
    static final String EVIL_DATASET = "sample</title><script>alert(2)</script>";

    static final List<String> VARIANTS = List.of("plain", "full");
    static final List<String> PHASES = List.of("baseline", "full/train", "plain/finetune", "full/finetune");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What was written, for the tests' expectations. */
    record Written(Path root, int spectra, List<String> spectrumKeys, List<int[]> keptAndTotal) {
    }

    private SyntheticRun() {
    }

    /**
     * Writes the run into {@code dir}.
     *
     * @param orthogonality also write {@code orthogonality.csv}
     */
    static Written write(Path dir, SplittableRandom rng, boolean orthogonality) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        ObjectNode cfg = CompressionConfig.quick("fashionnet", 7).toJson();
        ObjectNode data = cfg.putObject("data");
        data.put("dataset", EVIL_DATASET);
        data.put("train_images", 2000);
        data.put("test_images", 500);
        run.writeJson(run.config(), cfg);

        for (String phase : PHASES) {
            int epochs = phase.endsWith("finetune") ? 1 : 3;
            for (int e = 1; e <= epochs; e++) {
                double lr = 0.05 * 0.5 * (1 + Math.cos(Math.PI * (e - 1) / epochs));
                double loss = 1.2 / e + 0.05 * rng.nextDouble();
                run.appendMetrics(phase, new EpochResult(e, loss, 0.6 + 0.1 * e, loss * 1.1, 0.58 + 0.1 * e, lr, 2.5));
            }
        }

        List<String> keys = new ArrayList<>();
        List<int[]> kept = new ArrayList<>();
        ObjectNode completed = MAPPER.createObjectNode();
        for (String variant : VARIANTS) {
            String phase = variant + "/tucker";
            ConvCost first = new ConvCost(16, 1, 3, 3, 28, 28, 28, 28, true);
            DecompositionAudit skipped = DecompositionAudit.skipped(phase, "conv1", new int[] {16, 1, 3, 3}, List.of(),
                    new int[0], first.denseParams(), first.denseMacs(), 0.001, EVIL_NOTE);
            String conv2 = variant.equals("full") ? EVIL_LAYER : "conv2";
            ConvCost c2 = new ConvCost(32, 16, 3, 3, 14, 14, 14, 14, true);
            UnfoldingAudit m0 = unfolding(0, 32, 16 * 9, 6, rng);
            UnfoldingAudit m1 = unfolding(1, 16, 32 * 9, 5, rng);
            DecompositionAudit tucker = new DecompositionAudit(phase, conv2, "tucker2", new int[] {32, 16, 3, 3},
                    List.of(m0, m1), new int[] {m0.rank(), m1.rank()}, 0.12, 0.125, 3, c2.denseParams(),
                    c2.tuckerParams(m0.rank(), m1.rank()), c2.denseMacs(), c2.tuckerMacs(m0.rank(), m1.rank()), 0.02, List.of());
            ConvCost fc = ConvCost.linear(64, 128, true);
            UnfoldingAudit f0 = unfolding(0, 64, 128, 8, rng);
            DecompositionAudit svd = new DecompositionAudit(phase, "fc1", "svd", new int[] {64, 128}, List.of(f0),
                    new int[] {f0.rank()}, 0.2, Double.NaN, 0, fc.denseParams(), fc.svdParams(f0.rank()), fc.denseMacs(),
                    fc.svdMacs(f0.rank()), 0.01, List.of());
            for (DecompositionAudit a : List.of(skipped, tucker, svd)) {
                ObjectNode rec = AuditJson.toJson(a);
                rec.put("variant", variant);
                rec.put("selector", "evbmf");
                run.appendAudit(rec);
                for (UnfoldingAudit u : a.unfoldings()) {
                    keys.add(variant + "/" + a.layer() + "/mode" + u.mode());
                    kept.add(new int[] {u.rank(), u.singularValues().length});
                }
            }
            for (String p : List.of("train", "fold", "ranks", "tucker", "eval_before", "finetune", "eval")) {
                completed.putObject(variant + "/" + p).put("wall_seconds", 1.5 + rng.nextDouble());
            }
        }
        completed.putObject("baseline").put("wall_seconds", 7.25);
        run.writeJson(run.progress(), MAPPER.createObjectNode().set("completed", completed));
        run.writeJson(run.summary(), summary(cfg, completed));
        if (orthogonality) {
            StringBuilder csv = new StringBuilder("phase,epoch,weight,frobenius\n");
            for (int e = 1; e <= 3; e++) {
                csv.append("full/train,").append(e).append(",conv2.factor_a,").append(2.0 / (e * e)).append('\n');
                csv.append("full/train,").append(e).append(",conv2.factor_b,").append(1.5 / e).append('\n');
            }
            Files.writeString(dir.resolve("orthogonality.csv"), csv.toString(), StandardCharsets.UTF_8);
        }
        return new Written(run.root(), keys.size(), keys, kept);
    }

    /** EVBMF of a {@code rows x cols} matrix with planted rank {@code planted} plus unit-scale noise. */
    static UnfoldingAudit unfolding(int mode, int rows, int cols, int planted, SplittableRandom rng) {
        DMatrixRMaj y = new DMatrixRMaj(rows, cols);
        double[][] a = gaussian(rows, planted, rng);
        double[][] b = gaussian(planted, cols, rng);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int k = 0; k < planted; k++) {
                    s += a[i][k] * b[k][j] * (planted - k);
                }
                y.set(i, j, s + 0.3 * rng.nextGaussian());
            }
        }
        VbmfResult r = Evbmf.estimate(y);
        return new UnfoldingAudit(mode, rows, cols, "evbmf", r.sigma2(), r.threshold(), r.singularValues(), r.rank(),
                Math.max(1, r.rank()), r.rank() == 0, List.of());
    }

    private static ObjectNode summary(ObjectNode cfg, ObjectNode completed) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("model", cfg.get("model").asText());
        s.put("seed", cfg.get("seed").asLong());
        s.set("data", cfg.get("data"));
        ObjectNode b = s.putObject("baseline");
        b.put("accuracy", 0.871).put("params", 120000L).put("macs", 4_500_000L);
        ObjectNode ablation = s.putObject("ablation");
        ablation.putObject("plain").put("accuracy", 0.85).put("accuracy_before_finetune", 0.62).put("trained_accuracy", 0.871)
                .put("params", 40000L).put("macs", 1_500_000L).put("params_ratio", 3.0).put("macs_ratio", 3.0)
                .put("weakening", 1.0);
        ablation.putObject("full").put("accuracy", 0.862).put("accuracy_before_finetune", 0.8).put("trained_accuracy", 0.875)
                .put("params", 30000L).put("macs", 1_125_000L).put("params_ratio", 4.0).put("macs_ratio", 4.0)
                .put("weakening", 1.0);
        ObjectNode c = s.putObject("compressed");
        c.put("variant", "full").put("accuracy", 0.862).put("accuracy_before_finetune", 0.8).put("params", 30000L)
                .put("macs", 1_125_000L);
        s.put("params_ratio", 4.0);
        s.put("macs_ratio", 4.0);
        s.putArray("layers");
        ObjectNode wall = s.putObject("wall_seconds");
        completed.properties().forEach(e -> wall.put(e.getKey(), e.getValue().get("wall_seconds").asDouble()));
        return s;
    }

    private static double[][] gaussian(int rows, int cols, SplittableRandom rng) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return m;
    }
}
