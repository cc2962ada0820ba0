package org.rankfold.tools.bench;

import java.util.Locale;

/** One flat JSON object on one line, built field by field (numbers, strings, booleans). */
final class JsonLine {
    private final StringBuilder sb = new StringBuilder("{");

    JsonLine put(String key, String value) {
        key(key);
        quote(value);
        return this;
    }

    JsonLine put(String key, long value) {
        key(key);
        sb.append(value);
        return this;
    }

    JsonLine put(String key, double value) {
        key(key);
        if (Double.isFinite(value)) {
            sb.append(String.format(Locale.ROOT, "%.6g", value).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2")
                    .replaceFirst("\\.(e|$)", "$1"));
        } else {
            sb.append("null");
        }
        return this;
    }

    JsonLine put(String key, boolean value) {
        key(key);
        sb.append(value);
        return this;
    }

    @Override
    public String toString() {
        return sb + "}";
    }

    private void key(String key) {
        if (sb.length() > 1) {
            sb.append(", ");
        }
        quote(key);
        sb.append(": ");
    }

    private void quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }
}
