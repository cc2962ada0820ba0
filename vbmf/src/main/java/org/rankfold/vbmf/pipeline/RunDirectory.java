package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.AtomicFiles;
import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.engine.train.EpochResult;

/**
 * The run directory of a compression run (docs/file-formats.md): {@code config.json}, {@code audit.jsonl}
 * (one JSON object per step), {@code metrics.csv} (one row per epoch of every training phase, with a
 * {@code phase} column), {@code orthogonality.csv} ({@link OrthogonalityCsv}), {@code checkpoints/<phase>/} and
 * {@code summary.json}, plus {@code progress.json}
 * (the completed phases and their results, for {@code --resume}). JSON files are replaced atomically.
 */
public final class RunDirectory {
    /** Header of {@code metrics.csv}; accuracies are fractions in [0, 1]. */
    public static final String METRICS_HEADER =
            "phase,epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds,penalty,evaluated_on";
    private static final ObjectMapper READER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper WRITER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static {
        READER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 20).maxDocumentLength(64L << 20).build());
    }

    private final Path root;

    public RunDirectory(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
    }

    public Path root() {
        return root;
    }

    public Path config() {
        return root.resolve("config.json");
    }

    public Path audit() {
        return root.resolve("audit.jsonl");
    }

    public Path metrics() {
        return root.resolve("metrics.csv");
    }

    /**
     * The predicted class of every test image by the model a phase evaluated ({@code predictions/PHASE.npy}, uint8,
     * test-set order; {@code /} in the phase written as {@code -}); {@code predictions/labels.npy} holds the labels.
     */
    public Path predictions(String phase) {
        return root.resolve("predictions").resolve(phase.replace('/', '-') + ".npy");
    }

    public Path summary() {
        return root.resolve("summary.json");
    }

    public Path progress() {
        return root.resolve("progress.json");
    }

    /** {@code checkpoints/<phase>} with "/" in the phase name written as "-". */
    public Path checkpoint(String phase) {
        return root.resolve("checkpoints").resolve(phase.replace('/', '-'));
    }

    /**
     * {@code checkpoints/<phase>-in-progress}: the latest completed epoch of a training phase that has not
     * finished (weights, optimizer state, training state), what {@code --resume} continues from.
     */
    public Path inProgress(String phase) {
        return root.resolve("checkpoints").resolve(phase.replace('/', '-') + "-in-progress");
    }

    /** Deletes a directory tree (or a file); nothing when absent. */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** Copies the directory tree {@code from} to {@code to} (files with their attributes); {@code to} must not hold them yet. */
    public static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Writes {@code node} as indented JSON, atomically. */
    public void writeJson(Path file, JsonNode node) throws IOException {
        byte[] bytes = WRITER.writeValueAsBytes(node);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Reads a JSON file written by this class (duplicate keys and oversized input rejected). */
    public static JsonNode readJson(Path file) throws IOException {
        try {
            return READER.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MalformedFileException(file.toString(), e.getLocation() == null ? -1 : e.getLocation().getCharOffset(),
                    "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Parses JSON text with the same reader settings. */
    public static JsonNode parse(String json) throws IOException {
        return READER.readTree(json);
    }

    /** Appends one record to {@code audit.jsonl} as a line. */
    public void appendAudit(JsonNode record) throws IOException {
        // A link in place of audit.jsonl is refused, never followed: the records of a run stay inside it.
        Files.writeString(audit(), record.toString() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /** Drops the rows of {@code phase} from {@code metrics.csv} (a phase that is run again starts clean). */
    public void clearMetrics(String phase) throws IOException {
        keepMetrics(phase, 0);
    }

    /**
     * Drops the rows of {@code phase} after epoch {@code epochs} from {@code metrics.csv} (a phase resumed
     * after {@code epochs} epochs keeps those, 0: starts clean).
     */
    public void keepMetrics(String phase, int epochs) throws IOException {
        keepRows(metrics(), METRICS_HEADER, phase, epochs);
    }

    /**
     * Rewrites the CSV {@code file} (header, then rows that start with {@code phase,epoch,}) without the rows of
     * {@code phase} whose epoch exceeds {@code epochs}; creates it with the header when absent.
     */
    static void keepRows(Path file, String header, String phase, int epochs) throws IOException {
        List<String> keep = new ArrayList<>();
        keep.add(header);
        if (Files.exists(file)) {
            for (String line : readCsvLines(file)) {
                if (!line.equals(header) && !line.isEmpty() && !(line.startsWith(phase + ",") && epochOf(line, phase) > epochs)) {
                    keep.add(line);
                }
            }
        }
        byte[] bytes = (String.join("\n", keep) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The largest metrics CSV a run may hold: about a million rows, far beyond any real run. */
    static final long CSV_CAP = 64L << 20;

    /**
     * The lines of a CSV file of the run: a regular file inside the run (a link or special file is refused), read
     * up to {@link #CSV_CAP} bytes.
     */
    static List<String> readCsvLines(Path file) throws IOException {
        byte[] bytes = RegularFiles.readBounded(file, CSV_CAP, RegularFiles.Links.REFUSE);
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }

    /** The epoch column (second) of a row of {@code phase}; a row that cannot be read counts as after every epoch. */
    private static int epochOf(String line, String phase) {
        int from = phase.length() + 1;
        int to = line.indexOf(',', from);
        try {
            return Integer.parseInt(to < 0 ? line.substring(from) : line.substring(from, to));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Appends one epoch of {@code phase} to {@code metrics.csv}. */
    public void appendMetrics(String phase, EpochResult r) throws IOException {
        appendMetrics(phase, r, Double.NaN, "test");
    }

    /**
     * A row of {@code metrics.csv}: the epoch's results; {@code penalty}, the weighted orthogonality term at the
     * end of the epoch (NaN: no regularizer, an empty cell); {@code evaluatedOn}, the set the epoch's
     * {@code test_loss}/{@code test_acc} were measured on ({@code validation} or {@code test}).
     */
    public void appendMetrics(String phase, EpochResult r, double penalty, String evaluatedOn) throws IOException {
        if (!Files.exists(metrics())) {
            clearMetrics(phase);
        }
        String row = String.format(Locale.ROOT, "%s,%d,%s,%s,%s,%s,%s,%.3f,%s,%s%n", phase, r.epoch(), num(r.trainLoss()),
                num(r.trainAccuracy()), num(r.testLoss()), num(r.testAccuracy()), num(r.learningRate()), r.seconds(),
                num(penalty), evaluatedOn);
        Files.writeString(metrics(), row, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
