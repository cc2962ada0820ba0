package org.rankfold.vbmf.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.rankfold.datasets.MalformedFileException;

/**
 * Validated reading of one JSON object of a run record ({@code progress.json}): every accessor checks that the
 * field is there and of the expected kind and range, else throws a {@link MalformedFileException} whose one line
 * names the file, the field's full path ({@code completed."full/eval".accuracy}) and what was expected.
 */
final class RecordFields {
    private final Path file;
    private final String path;
    private final JsonNode node;

    private RecordFields(Path file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** {@code node} at {@code path} of {@code file}, which must be a JSON object. */
    static RecordFields of(Path file, String path, JsonNode node) throws MalformedFileException {
        if (node == null || !node.isObject()) {
            throw new MalformedFileException(file.toString(), -1, (path.isEmpty() ? "the file" : path)
                    + ": expected an object, found " + shown(node));
        }
        return new RecordFields(file, path, node);
    }

    String path() {
        return path;
    }

    Path file() {
        return file;
    }

    JsonNode node() {
        return node;
    }

    boolean has(String field) {
        return node.has(field);
    }

    /** The error about {@code field}: expected {@code what}, with the value found. */
    MalformedFileException bad(String field, String what) {
        return new MalformedFileException(file.toString(), -1, where(field) + ": expected " + what + ", found "
                + shown(node.get(field)));
    }

    String where(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private JsonNode required(String field) throws MalformedFileException {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new MalformedFileException(file.toString(), -1, where(field) + ": missing");
        }
        return v;
    }

    String text(String field) throws MalformedFileException {
        JsonNode v = required(field);
        if (!v.isTextual()) {
            throw bad(field, "a string");
        }
        return v.asText();
    }

    boolean bool(String field) throws MalformedFileException {
        JsonNode v = required(field);
        if (!v.isBoolean()) {
            throw bad(field, "true or false");
        }
        return v.asBoolean();
    }

    /** A finite number. */
    double number(String field) throws MalformedFileException {
        JsonNode v = required(field);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw bad(field, "a finite number");
        }
        return v.asDouble();
    }

    /** A finite number &gt;= 0. */
    double nonNegative(String field) throws MalformedFileException {
        double d = number(field);
        if (!(d >= 0)) {
            throw bad(field, "a number >= 0");
        }
        return d;
    }

    /** An accuracy: a number in [0, 1]. */
    double fraction(String field) throws MalformedFileException {
        double d = number(field);
        if (!(d >= 0 && d <= 1)) {
            throw bad(field, "a fraction in [0, 1]");
        }
        return d;
    }

    /** A whole number &gt;= 0. */
    long count(String field) throws MalformedFileException {
        JsonNode v = required(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw bad(field, "a whole number >= 0");
        }
        return v.asLong();
    }

    /** A whole number in [0, {@code max}]. */
    int smallCount(String field, int max) throws MalformedFileException {
        long c = count(field);
        if (c > max) {
            throw bad(field, "a whole number in [0, " + max + "]");
        }
        return (int) c;
    }

    RecordFields object(String field) throws MalformedFileException {
        JsonNode v = required(field);
        if (!v.isObject()) {
            throw bad(field, "an object");
        }
        return new RecordFields(file, where(field), v);
    }

    ArrayNode array(String field) throws MalformedFileException {
        JsonNode v = required(field);
        if (!v.isArray()) {
            throw bad(field, "an array");
        }
        return (ArrayNode) v;
    }

    /** An array of objects, each as fields at {@code field[i]}. */
    List<RecordFields> objects(String field) throws MalformedFileException {
        ArrayNode a = array(field);
        List<RecordFields> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(of(file, where(field) + "[" + i + "]", a.get(i)));
        }
        return out;
    }

    List<String> texts(String field) throws MalformedFileException {
        ArrayNode a = array(field);
        List<String> out = new ArrayList<>();
        for (JsonNode e : a) {
            if (!e.isTextual()) {
                throw bad(field, "an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** An array of whole numbers in [0, 2^31). */
    int[] ints(String field) throws MalformedFileException {
        ArrayNode a = array(field);
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = a.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt() || e.asInt() < 0) {
                throw bad(field, "an array of whole numbers >= 0");
            }
            out[i] = e.asInt();
        }
        return out;
    }

    /** A finite number, or null read as NaN (how the audit writes "not applicable"). */
    double numberOrNaN(String field) throws MalformedFileException {
        JsonNode v = required(field);
        if (v.isNull()) {
            return Double.NaN;
        }
        return number(field);
    }

    /** An array of finite numbers or nulls (NaN). */
    double[] doubles(String field) throws MalformedFileException {
        ArrayNode a = array(field);
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = a.get(i);
            if (e.isNull()) {
                out[i] = Double.NaN;
            } else if (e.isNumber() && Double.isFinite(e.asDouble())) {
                out[i] = e.asDouble();
            } else {
                throw bad(field, "an array of numbers");
            }
        }
        return out;
    }

    /** A short rendering of a value for an error line. */
    static String shown(JsonNode v) {
        if (v == null) {
            return "nothing";
        }
        String s = v.isContainerNode() ? (v.isArray() ? "an array" : "an object") : v.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
