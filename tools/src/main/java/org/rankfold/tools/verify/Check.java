package org.rankfold.tools.verify;

import java.util.List;

/**
 * The outcome of one check of {@code rankfold verify}.
 *
 * @param name     the check's name (files, paths, ranks, costs, accuracy, report)
 * @param status   ok, FAILED, or skipped when the run has nothing for it to check
 * @param detail   one line: what was checked, or why it was skipped
 * @param problems every mismatch found (empty unless FAILED)
 */
public record Check(String name, Status status, String detail, List<String> problems) {

    public enum Status {
        OK("ok"), FAILED("FAILED"), SKIPPED("skipped");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Check {
        problems = List.copyOf(problems);
    }

    /** ok when no problem was found, FAILED otherwise (the first problem is named in the detail). */
    static Check of(String name, String checked, List<String> problems) {
        if (problems.isEmpty()) {
            return new Check(name, Status.OK, checked, problems);
        }
        String first = problems.get(0);
        return new Check(name, Status.FAILED, problems.size() == 1 ? first
                : problems.size() + " problems; first: " + first, problems);
    }

    static Check skipped(String name, String why) {
        return new Check(name, Status.SKIPPED, why, List.of());
    }
}
