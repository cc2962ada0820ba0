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
 * <pre>{@code <!-- rankfold-report body-sha256=HEX compared-runs=N config.json=HEX ... predictions/full-eval.npy=HEX -->}</pre>
 * The names are paths relative to the run directory ({@link #isRunFileName}: they never leave it). Only the files
 * that exist are listed; runs added with {@code --compare} are counted, not digested.
 *
 * @param bodySha256    the digest of the report's bytes before the stamp line
 * @param comparedRuns  how many other runs were compared in the report
 * @param inputs        file name to digest, in {@link #INPUTS} order
 */
public record ReportStamp(String bodySha256, int comparedRuns, Map<String, String> inputs) {
    /** The run files a report reads by fixed name (see {@code RunContents}, {@code PredictionsSection}). */
    public static final List<String> INPUTS = List.of("config.json", "summary.json", "progress.json", "audit.jsonl",
            "metrics.csv", "orthogonality.csv", "checkpoints/baseline/state.json", "checkpoint/state.json", "state.json");
    /** The folder of per-image predictions; every {@code .npy} in it is an input of the per-class section. */
    static final String PREDICTIONS = "predictions";
    /** At most this many prediction files are stamped (a run writes a few per variant). */
    static final int MAX_PREDICTIONS = 1024;
    /**
     * A stamped name: one to four path segments of letters, digits, '_', '-' and '.', each at most 100 characters
     * and none "." or ".." (checked by {@link #isRunFileName}), so a name always stays inside the run directory.
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}(?:/[A-Za-z0-9_.-]{1,100}){0,3}");
    private static final String OPEN = "<!-- rankfold-report ";
    private static final Pattern LINE = Pattern.compile(
            "<!-- rankfold-report body-sha256=([0-9a-f]{64}) compared-runs=(\\d{1,4})([ A-Za-z0-9_./=-]{0,600000}) -->\n?$");
    /** One {@code name=digest} pair of the stamp (the name checked further by {@link #isRunFileName}). */
    private static final Pattern PAIR = Pattern.compile("([A-Za-z0-9_./-]{1,403})=([0-9a-f]{64})");

    public ReportStamp {
        inputs = Map.copyOf(inputs);
    }

    /** True when {@code name} is a stamped file name that resolves inside the run directory (no ".", "..", "/x", "x//y"). */
    static boolean isRunFileName(String name) {
        if (!NAME.matcher(name).matches()) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The digests of the input files in {@code run} as they are now: the files of {@link #INPUTS} that exist and
     * every {@code predictions/*.npy} (in name order, at most {@value #MAX_PREDICTIONS}); regular files only, links
     * not followed.
     */
    public static Map<String, String> inputsOf(Path run) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> names = new java.util.ArrayList<>(INPUTS);
        Path predictions = run.resolve(PREDICTIONS);
        if (Files.isDirectory(predictions, LinkOption.NOFOLLOW_LINKS)) {
            java.util.TreeSet<String> npy = new java.util.TreeSet<>();
            try (java.nio.file.DirectoryStream<Path> s = Files.newDirectoryStream(predictions, "*.npy")) {
                for (Path p : s) {
                    String name = PREDICTIONS + "/" + p.getFileName();
                    if (isRunFileName(name)) {
                        npy.add(name);
                    }
                }
            }
            npy.stream().limit(MAX_PREDICTIONS).forEach(names::add);
        }
        for (String f : names) {
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
        String pairs = m.group(3);
        if (!pairs.isEmpty() && !pairs.startsWith(" ")) {
            return null;
        }
        for (String pair : pairs.isEmpty() ? new String[0] : pairs.substring(1).split(" ", -1)) {
            Matcher p = PAIR.matcher(pair);
            if (!p.matches() || !isRunFileName(p.group(1)) || inputs.put(p.group(1), p.group(2)) != null) {
                return null; // not a name=digest pair, a name that would leave the run, or one twice: not a stamp we wrote
            }
        }
        String body = Sha256Files.of(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        return new Read(new ReportStamp(m.group(1), Integer.parseInt(m.group(2)), inputs), body);
    }

    /** A stamp as read from a report, and the digest of the page above it as it is now. */
    public record Read(ReportStamp stamp, String actualBody) {
    }
}
