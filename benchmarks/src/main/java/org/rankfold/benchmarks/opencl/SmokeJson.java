package org.rankfold.benchmarks.opencl;

import java.util.Locale;

/** A minimal JSON writer for {@link OpenClSmoke} (the kernels module has no JSON library). */
final class SmokeJson {
    private final StringBuilder sb = new StringBuilder();
    private boolean first = true;

    SmokeJson begin() {
        comma();
        sb.append('{');
        first = true;
        return this;
    }

    SmokeJson beginArray(String key) {
        key(key);
        sb.append('[');
        first = true;
        return this;
    }

    SmokeJson endArray() {
        sb.append(']');
        first = false;
        return this;
    }

    SmokeJson beginObject(String key) {
        key(key);
        sb.append('{');
        first = true;
        return this;
    }

    SmokeJson end() {
        sb.append('}');
        first = false;
        return this;
    }

    SmokeJson put(String key, String value) {
        key(key);
        string(value);
        return this;
    }

    SmokeJson put(String key, long value) {
        key(key);
        sb.append(value);
        return this;
    }

    SmokeJson put(String key, double value) {
        key(key);
        sb.append(Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null");
        return this;
    }

    SmokeJson put(String key, boolean value) {
        key(key);
        sb.append(value);
        return this;
    }

    private void key(String key) {
        comma();
        string(key);
        sb.append(':');
        first = false;
    }

    private void comma() {
        if (!first) {
            sb.append(',');
        }
        first = false;
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
