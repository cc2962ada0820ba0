package org.rankfold.tools.json;

import java.io.PrintWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.vbmf.audit.AuditJson;

/**
 * The {@code --json} output of the CLI: exactly one JSON object, on one line, on stdout. Numbers that are
 * not finite (not applicable) are written as {@code null}.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Puts {@code value}, or null when it is not finite (the audit trail's rule, {@link AuditJson}). */
    public static ObjectNode number(ObjectNode o, String field, double value) {
        AuditJson.number(o, field, value);
        return o;
    }

    /** A JSON array of the values; non-finite ones become null. */
    public static ArrayNode doubles(double[] values) {
        return AuditJson.doubles(values);
    }

    public static ArrayNode ints(int... values) {
        return AuditJson.ints(values);
    }

    /** Prints {@code node} as one line. */
    public static void print(PrintWriter out, JsonNode node) {
        try {
            out.println(MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON serialisation of a tree failed", e);
        }
        out.flush();
    }
}
