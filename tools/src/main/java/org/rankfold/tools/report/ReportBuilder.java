package org.rankfold.tools.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.rankfold.datasets.io.AtomicFiles;

/**
 * Builds {@code RUN/report.html} from a run directory: overview (data, seed, machine, wall time
 * and result per phase), model-level table and accuracy/compression plots, training curves, orthogonality,
 * per-layer spectra, per-class accuracy and confusion of the final models, the configuration; at the end, the list of what the run did not record. The page is written atomically
 * (a reader never sees half a report).
 */
public final class ReportBuilder {
    /** The report's file name inside the run directory. */
    public static final String FILE_NAME = "report.html";

    private ReportBuilder() {
    }

    /**
     * (Re)builds {@code run/report.html}.
     *
     * @param run     the run directory
     * @param compare further run directories whose model-level results are added to the table and plots
     *                (e.g. target-ratio runs); may be empty
     * @return the report's absolute path
     * @throws org.rankfold.tools.UserError                when a directory is not a run directory
     * @throws org.rankfold.datasets.MalformedFileException when a run file is not in the pipeline's format
     */
    public static Path write(Path run, List<Path> compare) throws IOException {
        RunContents main = RunContents.read(run);
        List<RunContents> others = new ArrayList<>();
        for (Path p : compare) {
            others.add(RunContents.read(p));
        }
        // the stamp names the files the page was built from (rankfold verify checks it)
        byte[] html = ReportStamp.stamp(html(main, others), main.root(), others.size()).getBytes(StandardCharsets.UTF_8);
        Path out = main.root().resolve(FILE_NAME);
        AtomicFiles.write(out, o -> o.write(html));
        return out;
    }

    /** The report's text. */
    static String html(RunContents run, List<RunContents> others) throws IOException {
        HtmlPage page = new HtmlPage("Rankfold report: " + run.name());
        List<Missing> notRecorded = new ArrayList<>();
        page.heading(1, "top", "Rankfold compression report: " + run.name());
        OverviewSection.write(page, run, notRecorded);
        ModelSection.write(page, run, others, notRecorded);
        CurvesSection.write(page, run, notRecorded);
        LayerSection.write(page, run, notRecorded);
        PredictionsSection.write(page, run);
        PlainVersusFullSection.write(page, run);
        OverviewSection.configuration(page, run);
        page.heading(2, "not-recorded", "Not recorded by this run");
        if (notRecorded.isEmpty()) {
            page.paragraph("Everything the report shows was found in the run directory.");
        } else {
            page.table(null, List.of("what", "where the report looks for it"), notRecorded.stream()
                    .map(m -> List.of(m.what(), m.where())).toList());
        }
        return page.finish();
    }
}
