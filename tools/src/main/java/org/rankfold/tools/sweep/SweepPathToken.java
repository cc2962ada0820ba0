package org.rankfold.tools.sweep;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replaces a sweep directory's absolute path by the token {@code SWEEP} in the text an export copies
 * (docs/sweeps.md, "Exporting the small files"): the run records name the directory (config.json's
 * {@code reuse_training}, summary.json's {@code training_reused_from}, the audit's reuse record, command lines), and
 * a path local to the machine that ran the sweep has no place in a repository.
 *
 * <p>Recognized: the absolute normalized path, and its real path when that differs (a directory reached through a
 * link), each as written and as JSON writes it inside a string ({@code "} and {@code \} escaped, control
 * characters escaped, as Jackson writes them). An occurrence counts only as a whole path: not
 * preceded by a character that would make it the tail of a longer path (an ASCII letter or digit, {@code . _ - ~},
 * a separator, or a non-ASCII character), and followed by the end of the text, a separator, a quote (also JSON's
 * escaped quote, backslash and quote) or whitespace, so {@code /runs/sw2} is not taken for {@code /runs/sw}. The text is matched as
 * bytes (the path as UTF-8), so a file with no occurrence is copied byte for byte.
 */
final class SweepPathToken {
    /** What the sweep directory's path becomes; commands.log already writes {@code --out SWEEP}. */
    static final String TOKEN = "SWEEP";

    /** Byte-for-byte strings (ISO-8859-1 views of the UTF-8 bytes), longest first. */
    private final List<String> forms;

    private SweepPathToken(List<String> forms) {
        this.forms = forms;
    }

    /** The forms of {@code sweep} (absolute, normalized) and of its real path, when it exists and differs. */
    static SweepPathToken of(Path sweep) {
        List<String> paths = new ArrayList<>();
        paths.add(sweep.toAbsolutePath().normalize().toString());
        try {
            String real = sweep.toRealPath().toString();
            if (!paths.contains(real)) {
                paths.add(real);
            }
        } catch (IOException e) {
            // no real path to add (the directory is gone or unreadable): the plain form is still replaced
        }
        List<String> forms = new ArrayList<>();
        for (String p : paths) {
            for (String f : List.of(p, jsonEscaped(p))) {
                String bytes = latin1View(f);
                if (!forms.contains(bytes)) {
                    forms.add(bytes);
                }
            }
        }
        // a longer form first, so that one form that contains another is replaced as a whole
        forms.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return new SweepPathToken(List.copyOf(forms));
    }

    /** {@code bytes} with every whole occurrence of the sweep's path replaced by {@link #TOKEN}. */
    byte[] replace(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        for (String form : forms) {
            text = replace(text, form);
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code text} (a Java string, such as a line of commands.log) with the sweep's path replaced. */
    String replace(String text) {
        return new String(replace(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private static String replace(String text, String form) {
        StringBuilder b = null;
        int copied = 0;
        int from = 0;
        while (true) {
            int at = text.indexOf(form, from);
            if (at < 0) {
                break;
            }
            int end = at + form.length();
            if (startsWhole(text, at) && endsWhole(text, end)) {
                if (b == null) {
                    b = new StringBuilder(text.length());
                }
                b.append(text, copied, at).append(TOKEN);
                copied = end;
                from = end;
            } else {
                from = at + 1;
            }
        }
        return b == null ? text : b.append(text, copied, text.length()).toString();
    }

    private static boolean startsWhole(String text, int at) {
        if (at == 0) {
            return true;
        }
        char c = text.charAt(at - 1);
        boolean nameChar = c >= 0x80 || Character.isLetterOrDigit(c) || ".-_~".indexOf(c) >= 0 || c == '/'
                || c == File.separatorChar;
        return !nameChar;
    }

    private static boolean endsWhole(String text, int end) {
        if (end == text.length()) {
            return true;
        }
        char c = text.charAt(end);
        if (c == '/' || c == File.separatorChar || c == '"' || c == '\'' || " \t\n\r\f\u000B".indexOf(c) >= 0) {
            return true;
        }
        // a quote escaped inside a JSON string
        return c == '\\' && end + 1 < text.length() && text.charAt(end + 1) == '"';
    }

    /** {@code s} as JSON writes it between the quotes of a string (Jackson's escapes). */
    static String jsonEscaped(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** The UTF-8 bytes of {@code s}, one char per byte, so that string search matches bytes. */
    private static String latin1View(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
