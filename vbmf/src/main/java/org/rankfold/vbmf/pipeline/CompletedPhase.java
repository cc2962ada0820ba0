package org.rankfold.vbmf.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.MalformedFileException;

/**
 * One entry of {@code progress.json}'s {@code completed}: the phase's typed {@link PhaseResult}, then
 * {@code checkpoint} (the run-relative directory of the model the phase left, when it saved one) with
 * {@code checkpoint_sha256} ({@link RunIntegrity#checkpointDigest}), {@code wall_seconds}, and
 * {@code reused_from} when the phase was copied from another run ({@code --reuse-training}).
 */
record CompletedPhase(String name, PhaseResult result, String checkpoint, String checkpointSha256, double wallSeconds,
                      String reusedFrom) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The fields that {@code progress.json} holds but a {@code phase_end} audit record leaves out. */
    static final java.util.Set<String> NOT_IN_AUDIT = java.util.Set.of("layers", "ranks", "plan", "checkpoint_sha256");

    ObjectNode toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        result.write(o);
        if (checkpoint != null) {
            o.put("checkpoint", checkpoint);
            o.put("checkpoint_sha256", checkpointSha256);
        }
        o.put("wall_seconds", wallSeconds);
        if (reusedFrom != null) {
            o.put("reused_from", reusedFrom);
        }
        return o;
    }

    /** The same phase, copied from the run {@code source} and now saved at {@code checkpoint} of this run. */
    CompletedPhase reused(String newCheckpoint, String source) {
        return new CompletedPhase(name, result, newCheckpoint, checkpointSha256, wallSeconds, source);
    }

    /**
     * The entry of phase {@code name}, validated: every field present with the right kind and range; the checkpoint
     * path checked by {@link RunIntegrity} later, against the run directory.
     */
    static CompletedPhase read(String name, RecordFields f) throws MalformedFileException {
        PhaseResult r = PhaseResult.read(name, f);
        String ck = null;
        String sha = null;
        if (f.has("checkpoint")) {
            ck = f.text("checkpoint");
            sha = f.text("checkpoint_sha256");
            if (!sha.matches("[0-9a-f]{64}")) {
                throw f.bad("checkpoint_sha256", "64 lowercase hex digits");
            }
        } else if (needsCheckpoint(name, r)) {
            f.text("checkpoint"); // reports it missing
        }
        return new CompletedPhase(name, r, ck, sha, f.nonNegative("wall_seconds"),
                f.has("reused_from") ? f.text("reused_from") : null);
    }

    /** Phases that always save a model: training, tucker, fine-tuning, and a fold that folded something. */
    private static boolean needsCheckpoint(String name, PhaseResult r) {
        return switch (r) {
            case PhaseResult.Baseline _, PhaseResult.Trained _, PhaseResult.Decomposed _, PhaseResult.FineTuned _ -> true;
            case PhaseResult.Folded f -> !f.foldedLayers().isEmpty();
            case PhaseResult.RankPlan _, PhaseResult.Accuracy _, PhaseResult.Evaluated _ -> false;
        };
    }
}
