package org.rankfold.tools.options;

import java.util.Collection;
import java.util.Optional;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * "Did you mean": the closest command or option name to a mistyped one, by edit distance (with transpositions), when
 * it is close enough to be a typo ({@code trian} -> {@code train}, {@code --epoch} -> {@code --epochs}).
 */
public final class Suggestions {
    private Suggestions() {
    }

    /** The one-line message for an unmatched argument, with a suggestion when one is close. */
    public static String describe(UnmatchedArgumentException ex) {
        CommandLine cl = ex.getCommandLine();
        CommandSpec spec = cl.getCommandSpec();
        String first = ex.getUnmatched().isEmpty() ? "" : ex.getUnmatched().getFirst();
        if (first.startsWith("-")) {
            String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            String hint = closest(name, optionNames(spec)).map(s -> "; did you mean " + s + "?").orElse("");
            return "unknown option " + name + hint;
        }
        if (!spec.subcommands().isEmpty()) {
            String hint = closest(first, spec.subcommands().keySet()).map(s -> "; did you mean '" + s + "'?").orElse("");
            return "unknown command '" + first + "'" + hint;
        }
        return "unexpected argument '" + first + "'";
    }

    private static java.util.List<String> optionNames(CommandSpec spec) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden()) {
                names.addAll(java.util.List.of(o.names()));
            }
        }
        return names;
    }

    /** The candidate nearest to {@code typed} when within max(1, length/3) edits, or a candidate it is a prefix of. */
    public static Optional<String> closest(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(typed, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int allowed = Math.max(1, typed.replaceFirst("^-+", "").length() / 3);
        if (bestDistance <= allowed) {
            return Optional.of(best);
        }
        return candidates.stream().filter(c -> typed.length() >= 4 && c.startsWith(typed)).findFirst();
    }

    /**
     * Edit distance with adjacent transpositions (optimal string alignment): insertions, deletions, substitutions
     * and swaps of two neighbours ({@code trian} -> {@code train}) each cost 1.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
