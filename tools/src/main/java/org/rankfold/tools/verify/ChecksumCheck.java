package org.rankfold.tools.verify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.tools.Sha256Files;
import org.rankfold.vbmf.pipeline.ModelSource;

/**
 * The {@code files} check: every file a checkpoint's {@code state.json} lists ({@code files.NAME.sha256}) has
 * that SHA-256, the model and weights are listed, and the digests progress.json records (of whole checkpoints
 * and of the audit trail, when the run has them) match, as does the digest config.json records of the run's
 * architecture file (a run on {@code --model FILE.json}).
 * The checkpoints whose files do not match are remembered: the checks that would load them skip them.
 */
final class ChecksumCheck {
    static final String NAME = "files";
    private static final Set<String> REQUIRED = Set.of("model.json", "weights.safetensors");

    private ChecksumCheck() {
    }

    /** Runs the check; adds the checkpoints with a mismatch to {@code damaged}. */
    static Check run(RunRecords run, Set<Path> damaged) {
        List<String> problems = new ArrayList<>();
        int files = 0;
        for (Path ck : run.checkpoints()) {
            String where = run.root().relativize(ck).toString();
            String label = where.isEmpty() ? "the checkpoint" : where;
            int before = problems.size();
            try {
                JsonNode listed = RunRecords.json(ck.resolve("state.json")).path("files");
                if (!listed.isObject()) {
                    problems.add(label + "/state.json: no 'files' object with the SHA-256 of the checkpoint's files");
                }
                for (String r : REQUIRED) {
                    if (listed.isObject() && !listed.has(r)) {
                        problems.add(label + "/state.json: no SHA-256 recorded for " + r);
                    }
                }
                for (Map.Entry<String, JsonNode> e : listed.properties()) {
                    String name = e.getKey();
                    String expected = e.getValue().path("sha256").asText("");
                    if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                        problems.add(label + "/state.json: files." + name + " is not a file name in the checkpoint");
                        continue;
                    }
                    Path f = ck.resolve(name);
                    if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                        problems.add(label + "/" + name + ": recorded in state.json but not a regular file");
                        continue;
                    }
                    String actual = Sha256Files.of(f);
                    files++;
                    if (!actual.equals(expected)) {
                        problems.add(label + "/" + name + ": SHA-256 is " + actual + ", state.json records " + expected);
                    }
                }
            } catch (IOException e) {
                problems.add(label + "/state.json: " + e.getMessage());
            }
            if (problems.size() > before) {
                damaged.add(ck);
            }
        }
        int recorded = recordedDigests(run, problems);
        return Check.of(NAME, files + " files in " + run.checkpoints().size() + " checkpoint(s) match the SHA-256 in their state.json"
                + (recorded > 0 ? "; " + recorded + " digest(s) in progress.json match" : ""), problems);
    }

    /**
     * The digests {@code progress.json} records: {@code checkpoint_sha256} beside a recorded checkpoint, the SHA-256
     * of the text {@code "<SHA-256 of file>  <name>\n"} over the checkpoint's regular files in ascending name order
     * (what {@code sha256sum} prints for them); {@code audit.sha256}, the SHA-256 of the first {@code audit.bytes}
     * bytes of audit.jsonl (the records of the completed phases); and config.json's {@code architecture_sha256}, the
     * SHA-256 of the run's copy of its architecture file.
     */
    private static int recordedDigests(RunRecords run, List<String> problems) {
        if (run.completed() == null) {
            return 0;
        }
        int n = 0;
        for (Map.Entry<String, JsonNode> e : run.completed().properties()) {
            JsonNode r = e.getValue();
            if (!r.has("checkpoint_sha256") || !r.has("checkpoint")) {
                continue;
            }
            Path ck = run.inside(r.get("checkpoint").asText());
            if (ck == null) {
                continue; // the paths check names it
            }
            n++;
            try {
                String actual = directoryDigest(ck);
                if (!actual.equals(r.get("checkpoint_sha256").asText())) {
                    problems.add("progress.json " + e.getKey() + ": checkpoint_sha256 is " + r.get("checkpoint_sha256").asText()
                            + ", the files of " + r.get("checkpoint").asText() + " give " + actual);
                }
            } catch (IOException ex) {
                problems.add("progress.json " + e.getKey() + ": " + ex.getMessage());
            }
        }
        String architecture = run.config() == null ? "" : run.config().path("architecture_sha256").asText("");
        if (!architecture.isEmpty()) {
            // a run on an architecture file: its copy is what a resume rebuilds the models from
            n++;
            Path file = run.root().resolve(ModelSource.FILE_NAME);
            try {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    problems.add(ModelSource.FILE_NAME + ": config.json records its SHA-256 but the run has no such regular file");
                } else if (!Sha256Files.of(file).equals(architecture)) {
                    problems.add(ModelSource.FILE_NAME + ": SHA-256 is " + Sha256Files.of(file) + ", config.json records " + architecture);
                }
            } catch (IOException ex) {
                problems.add(ModelSource.FILE_NAME + ": " + ex.getMessage());
            }
        }
        try {
            JsonNode audit = RunRecords.json(run.root().resolve("progress.json")).path("audit");
            if (audit.has("sha256") && audit.has("bytes")) {
                n++;
                long bytes = audit.get("bytes").asLong(-1);
                Path file = run.root().resolve("audit.jsonl");
                long size = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : 0;
                if (bytes < 0 || bytes > size) {
                    problems.add("progress.json audit.bytes is " + audit.get("bytes") + ", audit.jsonl has " + size + " bytes");
                } else {
                    String actual = Sha256Files.of(size == 0 ? new byte[0] : prefix(file, bytes));
                    if (!actual.equals(audit.get("sha256").asText())) {
                        problems.add("audit.jsonl: its first " + bytes + " bytes have SHA-256 " + actual + ", progress.json records "
                                + audit.get("sha256").asText());
                    }
                }
            }
        } catch (IOException ex) {
            problems.add("progress.json: " + ex.getMessage());
        }
        return n;
    }

    private static byte[] prefix(Path file, long bytes) throws IOException {
        try (InputStream in = RegularFiles.newInputStream(file, RegularFiles.Links.REFUSE)) {
            return in.readNBytes((int) Math.min(bytes, RunRecords.MAX_AUDIT_BYTES));
        }
    }

    /** The digest of a checkpoint directory as {@code checkpoint_sha256} defines it; anything but regular files is refused. */
    static String directoryDigest(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException(p + " is not a regular file; a checkpoint holds files only");
                }
                files.add(p);
            }
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        StringBuilder text = new StringBuilder();
        for (Path p : files) {
            text.append(Sha256Files.of(p)).append("  ").append(p.getFileName()).append('\n');
        }
        return Sha256Files.of(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
