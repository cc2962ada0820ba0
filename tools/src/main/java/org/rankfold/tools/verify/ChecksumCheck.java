package org.rankfold.tools.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.tools.Sha256Files;
import org.rankfold.vbmf.pipeline.RunDirectory;

/**
 * The {@code files} check: every file a checkpoint's {@code state.json} lists ({@code files.NAME.sha256}) has
 * that SHA-256, the model and weights are listed, and every SHA-256 recorded for a checkpoint elsewhere (a
 * {@code checkpoint_sha256} beside a recorded checkpoint path) matches the checkpoint's {@code state.json}.
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
                JsonNode listed = RunDirectory.readJson(ck.resolve("state.json")).path("files");
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
        recordedDigests(run, problems);
        return Check.of(NAME, files + " files in " + run.checkpoints().size() + " checkpoint(s) match the SHA-256 in their state.json",
                problems);
    }

    /** {@code checkpoint_sha256} fields beside recorded checkpoints: the SHA-256 of that checkpoint's state.json. */
    private static void recordedDigests(RunRecords run, List<String> problems) {
        if (run.completed() == null) {
            return;
        }
        run.completed().properties().forEach(e -> {
            JsonNode r = e.getValue();
            if (r.has("checkpoint_sha256") && r.has("checkpoint")) {
                Path ck = run.inside(r.get("checkpoint").asText());
                if (ck == null) {
                    return; // the paths check names it
                }
                try {
                    String actual = Sha256Files.of(ck.resolve("state.json"));
                    if (!actual.equals(r.get("checkpoint_sha256").asText())) {
                        problems.add("progress.json " + e.getKey() + ": checkpoint_sha256 is " + r.get("checkpoint_sha256").asText()
                                + ", " + r.get("checkpoint").asText() + "/state.json has " + actual);
                    }
                } catch (IOException ex) {
                    problems.add("progress.json " + e.getKey() + ": " + ex.getMessage());
                }
            }
        });
    }
}
