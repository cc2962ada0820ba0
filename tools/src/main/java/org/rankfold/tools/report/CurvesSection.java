package org.rankfold.tools.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training curves from {@code metrics.csv}: for every training phase (baseline, each variant's training
 * and fine-tuning) the loss, the train/test accuracy and the learning rate per epoch; then the
 * orthogonality of each weight that regularization can target, per epoch, from {@code orthogonality.csv},
 * when recorded.
 */
final class CurvesSection {
    private CurvesSection() {
    }

    static void write(HtmlPage page, RunContents run, List<Missing> notRecorded) {
        page.heading(2, "training", "Training curves");
        List<String> phases = run.trainingPhases();
        if (phases.isEmpty()) {
            notRecorded.add(new Missing("training curves", "metrics.csv rows (phase,epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds)"));
            page.missing("No training epochs recorded (metrics.csv is absent or empty).");
        }
        for (String phase : phases) {
            List<MetricRow> rows = run.metrics().stream().filter(r -> r.phase().equals(phase)).toList();
            double[] epoch = rows.stream().mapToDouble(MetricRow::epoch).toArray();
            page.heading(3, null, "Phase " + phase + " (" + rows.size() + (rows.size() == 1 ? " epoch)" : " epochs)"));
            page.open("charts");
            page.figure("loss", phase, new SvgChart(phase + ": loss", "epoch", "cross-entropy loss").integerX().size(380, 170)
                    .add(new Series("train", epoch, rows.stream().mapToDouble(MetricRow::trainLoss).toArray(),
                            Series.Style.LINE_MARKERS, HtmlPage.PALETTE.get(0)))
                    .add(new Series("test", epoch, rows.stream().mapToDouble(MetricRow::testLoss).toArray(),
                            Series.Style.LINE_MARKERS, HtmlPage.PALETTE.get(1))), null);
            page.figure("accuracy", phase, new SvgChart(phase + ": accuracy", "epoch", "accuracy (%)").integerX().size(380, 170)
                    .add(new Series("train", epoch, rows.stream().mapToDouble(r -> 100 * r.trainAccuracy()).toArray(),
                            Series.Style.LINE_MARKERS, HtmlPage.PALETTE.get(0)))
                    .add(new Series("test", epoch, rows.stream().mapToDouble(r -> 100 * r.testAccuracy()).toArray(),
                            Series.Style.LINE_MARKERS, HtmlPage.PALETTE.get(1))), null);
            page.figure("lr", phase, new SvgChart(phase + ": learning rate", "epoch", "learning rate").integerX().size(380, 170)
                    .add(new Series("lr", epoch, rows.stream().mapToDouble(MetricRow::learningRate).toArray(),
                            Series.Style.LINE_MARKERS, HtmlPage.PALETTE.get(2))), null);
            page.close();
        }
        orthogonality(page, run, notRecorded);
    }

    private static void orthogonality(HtmlPage page, RunContents run, List<Missing> notRecorded) {
        page.heading(2, "orthogonality", "Orthogonality of the weights over training");
        if (run.orthogonality() == null || run.orthogonality().isEmpty()) {
            notRecorded.add(new Missing("orthogonality over training", "orthogonality.csv with phase,epoch,weight,frobenius "
                    + "(||M M^T - I||_F per regularized weight per epoch)"));
            page.missing("Not recorded: the run directory has no orthogonality.csv (phase,epoch,weight,frobenius).");
            return;
        }
        page.note("||P||_F with P = M M^T - I (M^T M - I when M is tall), M the weight as a matrix (docs/method.md), "
                + "after each epoch, for every weight orthogonal regularization can target (whether or not the phase "
                + "regularized it; see the configuration); 0 means exactly orthonormal rows (columns).");
        Map<String, Map<String, List<OrthogonalityRow>>> byPhase = new LinkedHashMap<>();
        for (OrthogonalityRow r : run.orthogonality()) {
            byPhase.computeIfAbsent(r.phase(), k -> new LinkedHashMap<>()).computeIfAbsent(r.weight(), k -> new ArrayList<>())
                    .add(r);
        }
        page.open("charts");
        for (Map.Entry<String, Map<String, List<OrthogonalityRow>>> p : byPhase.entrySet()) {
            SvgChart c = new SvgChart(p.getKey() + ": ||M M^T - I||_F", "epoch", "||M M^T - I||_F").logY().integerX().size(560, 220);
            int i = 0;
            for (Map.Entry<String, List<OrthogonalityRow>> w : p.getValue().entrySet()) {
                c.add(new Series(w.getKey(), w.getValue().stream().mapToDouble(OrthogonalityRow::epoch).toArray(),
                        w.getValue().stream().mapToDouble(OrthogonalityRow::frobenius).toArray(), Series.Style.LINE_MARKERS,
                        HtmlPage.PALETTE.get(i++ % HtmlPage.PALETTE.size())));
            }
            page.figure("orthogonality", p.getKey(), c, p.getValue().size() + " weights");
        }
        page.close();
    }
}
