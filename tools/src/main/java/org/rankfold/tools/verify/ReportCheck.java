package org.rankfold.tools.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.tools.report.ReportBuilder;
import org.rankfold.tools.report.ReportStamp;

/**
 * The {@code report} check: {@code report.html} carries the stamp its builder writes ({@link ReportStamp}); the
 * page above the stamp has the digest the stamp records (nothing was edited after the report was built) and
 * the run files the report reads have the digests the stamp records (it was built from these files): the records,
 * the per-image predictions and the checkpoint state.json files the report takes settings and class names from.
 */
final class ReportCheck {
    static final String NAME = "report";
    /** Reports are a few MiB at most; a larger file is not one of ours. */
    private static final long MAX_BYTES = 256L << 20;

    private ReportCheck() {
    }

    static Check run(RunRecords run) throws IOException {
        Path report = run.root().resolve(ReportBuilder.FILE_NAME);
        if (!Files.exists(report, LinkOption.NOFOLLOW_LINKS)) {
            return Check.skipped(NAME, "no " + ReportBuilder.FILE_NAME + " (build one with 'rankfold report RUN')");
        }
        byte[] bytes;
        try {
            bytes = RegularFiles.readBounded(report, MAX_BYTES, RegularFiles.Links.REFUSE);
        } catch (IOException e) {
            return fail(e.getMessage());
        }
        ReportStamp.Read read = ReportStamp.read(bytes);
        if (read == null) {
            return fail(ReportBuilder.FILE_NAME + " has no stamp naming the files it was built from (built by an older "
                    + "rankfold, or edited); rebuild it with 'rankfold report RUN'");
        }
        List<String> problems = new ArrayList<>();
        if (!read.actualBody().equals(read.stamp().bodySha256())) {
            problems.add(ReportBuilder.FILE_NAME + " was changed after it was built: its page has SHA-256 " + read.actualBody()
                    + ", its stamp records " + read.stamp().bodySha256());
        }
        Map<String, String> now = ReportStamp.inputsOf(run.root());
        TreeSet<String> names = new TreeSet<>(now.keySet());
        names.addAll(read.stamp().inputs().keySet());
        for (String f : names) {
            String then = read.stamp().inputs().get(f);
            String is = now.get(f);
            if (then == null) {
                problems.add(f + " is in the run but the report was built without it");
            } else if (is == null) {
                problems.add("the report was built from a " + f + " that the run no longer has");
            } else if (!then.equals(is)) {
                problems.add(f + " changed since the report was built (SHA-256 " + is + ", the report's stamp records " + then + ")");
            }
        }
        String compared = read.stamp().comparedRuns() > 0 ? "; the " + read.stamp().comparedRuns()
                + " compared run(s) in it are not checked" : "";
        List<String> named = now.keySet().stream().filter(f -> !f.startsWith("predictions/")).toList();
        long predictions = now.size() - named.size();
        return Check.of(NAME, ReportBuilder.FILE_NAME + " is unchanged and was built from the run's " + String.join(", ", named)
                + (predictions > 0 ? " and " + predictions + " prediction file(s) (predictions/*.npy)" : "") + compared, problems);
    }

    private static Check fail(String problem) {
        return new Check(NAME, Check.Status.FAILED, problem, List.of(problem));
    }
}
