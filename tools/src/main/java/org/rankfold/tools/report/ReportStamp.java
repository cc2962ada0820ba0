package org.rankfold.tools.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.rankfold.tools.Sha256Files;

/**
 * The last line of {@code report.html}: an HTML comment naming the SHA-256 of every run file the report was
 * built from and of the page above the comment, so that {@code rankfold verify} can tell whether the report
 * belongs to the files now in the run and whether it was edited after it was built:
 * <pre>{@code <!-- rankfold-report body-sha256=HEX compared-runs=N config.json=HEX summary.json=HEX ... -->}</pre>
 * Only the files that exist are listed; runs added with {@code --compare} are counted, not digested.
 *
 * @param bodySha256    the digest of the report's bytes before the stamp line
 * @param comparedRuns  how many other runs were compared in the report
 * @param inputs        file name to digest, in {@link #INPUTS} order
 */
public record ReportStamp(String bodySha256, int comparedRuns, Map<String, String> inputs) {
    /** The run files a report reads (see {@code RunContents}). */
    public static final List<String> INPUTS = List.of("config.json", "summary.json", "progress.json", "audit.jsonl",
            "metrics.csv", "orthogonality.csv");
    private static final String OPEN = "<!-- rankfold-report ";
    private static final Pattern LINE = Pattern.compile(
            "<!-- rankfold-report body-sha256=([0-9a-f]{64}) compared-runs=(\\d{1,4})((?: [a-z.]{1,40}=[0-9a-f]{64})*) -->\n?$");

    public ReportStamp {
        inputs = Map.copyOf(inputs);
    }

    /** The digests of the input files in {@code run} as they are now. */
    public static Map<String, String> inputsOf(Path run) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : INPUTS) {
            Path p = run.resolve(f);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                m.put(f, Sha256Files.of(p));
            }
        }
        return m;
    }

    /** {@code html} with its stamp line appended. */
    static String stamp(String html, Path run, int comparedRuns) throws IOException {
        StringBuilder b = new StringBuilder(html);
        b.append(OPEN).append("body-sha256=").append(Sha256Files.of(html.getBytes(StandardCharsets.UTF_8)))
                .append(" compared-runs=").append(comparedRuns);
        inputsOf(run).forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.append(" -->\n").toString();
    }

    /**
     * The stamp of a report's bytes, with the digest of the page above it recomputed into {@link #actualBody};
     * null when the report has no stamp line.
     */
    public static Read read(byte[] report) {
        String text = new String(report, StandardCharsets.UTF_8);
        int at = text.lastIndexOf(OPEN);
        if (at < 0) {
            return null;
        }
        Matcher m = LINE.matcher(text.substring(at));
        if (!m.matches()) {
            return null;
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        for (String pair : m.group(3).trim().split(" ")) {
            if (!pair.isEmpty()) {
                inputs.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        String body = Sha256Files.of(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        return new Read(new ReportStamp(m.group(1), Integer.parseInt(m.group(2)), inputs), body);
    }

    /** A stamp as read from a report, and the digest of the page above it as it is now. */
    public record Read(ReportStamp stamp, String actualBody) {
    }
}
