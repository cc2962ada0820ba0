package org.rankfold.tools.commands;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.StringJoiner;

import org.rankfold.vbmf.evbmf.VbmfResult;

/** Human-readable output of the decomposition commands (the --json output is the machine form). */
final class Tables {
    private Tables() {
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    static String list(double[] values) {
        StringJoiner j = new StringJoiner(" ", "[", "]");
        for (double v : values) {
            j.add(String.format(Locale.ROOT, "%.4g", v));
        }
        return j.toString();
    }

    /** The EVBMF lines, each prefixed by {@code indent}. */
    static void printEvbmf(PrintWriter out, VbmfResult r, String indent) {
        out.println(indent + "rank             " + r.rank() + " of " + r.fullRank());
        out.println(indent + "sigma2           " + num(r.sigma2()) + (r.sigma2Estimated()
                ? " (estimated on [" + num(r.sigma2Lower()) + ", " + num(r.sigma2Upper()) + "], "
                + r.evaluations() + " evaluations)"
                : " (given)"));
        out.println(indent + "threshold        " + num(r.threshold()));
        out.println(indent + "singular values  " + list(r.singularValues()));
        out.println(indent + "shrunk           " + list(r.shrunkSingularValues()));
    }
}
