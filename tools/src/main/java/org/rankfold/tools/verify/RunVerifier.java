package org.rankfold.tools.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code rankfold verify}: the checks of a run directory of {@code compress} or {@code train}, or of one
 * checkpoint (a {@code decompose} output included), in order: files (SHA-256), paths, ranks (EVBMF derived
 * again), costs (params and MACs counted again), accuracy (models evaluated again), report. A check that a
 * directory gives nothing to check is skipped; the models of checkpoints whose files fail their SHA-256 are
 * not loaded by the later checks.
 *
 * @param root   the directory verified
 * @param kind   what it is ("compress run", "train run", "checkpoint")
 * @param checks the outcome of every check
 */
public record RunVerifier(Path root, String kind, List<Check> checks) {

    public RunVerifier {
        checks = List.copyOf(checks);
    }

    /**
     * Runs every check on {@code dir}.
     *
     * @param data the test data to evaluate on instead of the recorded one (null: the recorded one)
     * @throws org.rankfold.tools.UserError when {@code dir} is none of the directories verify knows
     */
    public static RunVerifier verify(Path dir, String data) throws IOException {
        RunRecords run = RunRecords.read(dir);
        Set<Path> damaged = new HashSet<>();
        List<Check> checks = new ArrayList<>();
        checks.add(ChecksumCheck.run(run, damaged));
        checks.add(PathCheck.run(run));
        checks.add(EvbmfCheck.run(run));
        checks.add(CostCheck.run(run));
        checks.add(AccuracyCheck.run(run, data, damaged));
        checks.add(run.kind() == RunRecords.Kind.COMPRESS ? ReportCheck.run(run)
                : Check.skipped(ReportCheck.NAME, "a " + run.kind().label + " has no report"));
        return new RunVerifier(run.root(), run.kind().label, checks);
    }

    /** True when no check failed. */
    public boolean holds() {
        return checks.stream().noneMatch(c -> c.status() == Check.Status.FAILED);
    }

    /** The names of the failed checks. */
    public List<String> failed() {
        return checks.stream().filter(c -> c.status() == Check.Status.FAILED).map(Check::name).toList();
    }
}
