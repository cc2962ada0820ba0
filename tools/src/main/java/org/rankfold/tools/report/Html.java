package org.rankfold.tools.report;

import java.util.Locale;

/**
 * Escaping and number formatting for the report's HTML and SVG. Every string that comes from a run file
 * (layer names, notes, configuration values) passes through {@link #escape(String)} before it reaches the
 * page, so no file content can become markup (the report tests feed it {@code <script>} and quotes).
 */
public final class Html {
    private Html() {
    }

    /**
     * Text or attribute value with {@code & < > " '} replaced by character references; control
     * characters other than tab, newline and carriage return (invalid in XML 1.0) become U+FFFD.
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A number for a table cell: 4 significant digits, "n/a" when not finite. */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A count with thousands separators ("1,234,567"). */
    public static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** A fraction in [0, 1] as a percentage with two decimals, "n/a" when not finite. */
    public static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f%%", 100 * fraction) : "n/a";
    }

    /** A coordinate for SVG: two decimals, no exponent. */
    static String px(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
