package org.rankfold.tools.inspect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.safetensors.Safetensors;
import org.rankfold.datasets.safetensors.SafetensorsWriter;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The hostile-input table (docs/hostile-input.md) for checkpoint directories, model.json and state.json (the data formats are in
 * datasets' HostileInputTest): a valid small checkpoint is damaged one way at a time, the damaged file's
 * SHA-256 recomputed in state.json (as an attacker would, so the parsers themselves are reached), and
 * `rankfold inspect` must exit 2 with one line naming the file, allocating at most {@link #MAX_ALLOCATION}
 * bytes on this thread (measured by the JVM; the budget is 256 MB). NaN weights are not malformed: the
 * checkpoint loads and inspect warns per tensor.
 */
class HostileCheckpointTest {
    /** The largest hostile files here are 4 MB of JSON (12 MB measured); the token and size caps bound what parsing costs. */
    static final long MAX_ALLOCATION = 32L << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final InputShape IN = new InputShape(1, 12, 12, 10);

    /** One damage: the file of the checkpoint to replace, and its new bytes from the old ones. */
    record Case(String name, String file, UnaryOperator<byte[]> damage) {
    }

    private static UnaryOperator<byte[]> json(UnaryOperator<String> edit) {
        return b -> edit.apply(new String(b, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    /** Replaces the first occurrence of {@code from} (which must occur) by {@code to}. */
    private static UnaryOperator<byte[]> replace(String from, String to) {
        return json(s -> {
            int i = s.indexOf(from);
            if (i < 0) {
                throw new IllegalStateException("no '" + from + "' in the file");
            }
            return s.substring(0, i) + to + s.substring(i + from.length());
        });
    }

    private static byte[] safetensorsWithHeader(String header) {
        return safetensorsWithHeader(header.getBytes(StandardCharsets.UTF_8).length, header);
    }

    private static byte[] safetensorsWithHeader(long length, String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put(h).array();
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // model.json
        c.add(new Case("model truncated", "model.json", b -> Arrays.copyOf(b, b.length / 2)));
        c.add(new Case("model wrong magic", "model.json", replace("\"rankfold-model\"", "\"keras-model\"")));
        c.add(new Case("model not UTF-8", "model.json", b -> {
            byte[] x = b.clone();
            x[new String(b, StandardCharsets.UTF_8).indexOf("fashionnet") + 2] = (byte) 0xc0;
            return x;
        }));
        c.add(new Case("model unknown layer type", "model.json", replace("\"ReLU\"", "\"Transformer\"")));
        c.add(new Case("model negative channels", "model.json", replace("\"out_channels\" : 32", "\"out_channels\" : -32")));
        c.add(new Case("model overflowing sizes", "model.json", replace("\"kernel\" : [ 3, 3 ]", "\"kernel\" : [ 1048576, 1048576 ]")));
        c.add(new Case("model huge layer", "model.json", replace("\"in_features\" : 576", "\"in_features\" : 1048576")));
        c.add(new Case("model huge input", "model.json", replace("\"height\" : 12", "\"height\" : 1048576")));
        c.add(new Case("model 2^31 dimension", "model.json", replace("\"out_channels\" : 32", "\"out_channels\" : 2147483648")));
        c.add(new Case("model shape mismatch", "model.json", replace("\"weight\" : [ 32, 1, 3, 3 ]", "\"weight\" : [ 32, 2, 3, 3 ]")));
        c.add(new Case("model layers do not chain", "model.json", replace("\"in_channels\" : 32", "\"in_channels\" : 33")));
        c.add(new Case("model deep nesting", "model.json", replace("\"model\" : \"fashionnet\"",
                "\"model\" : \"fashionnet\", \"x\" : " + "[".repeat(5000) + "]".repeat(5000))));
        c.add(new Case("model 1.5M tokens", "model.json", replace("\"model\" : \"fashionnet\"",
                "\"model\" : \"fashionnet\", \"x\" : [" + "0,".repeat(1_500_000) + "0]")));
        c.add(new Case("model over 4 MB", "model.json", replace("\"model\" : \"fashionnet\"",
                "\"model\" : \"fashionnet\", \"x\" : \"" + "a".repeat(5 << 20) + "\"")));
        c.add(new Case("model duplicate key", "model.json", replace("\"model\" : \"fashionnet\"",
                "\"model\" : \"fashionnet\", \"model\" : \"lenet5\"")));
        c.add(new Case("model 5000 layers", "model.json", replace("\"children\" : [ {",
                "\"children\" : [ " + "{\"name\":\"r\",\"type\":\"ReLU\",\"parameters\":{}},".repeat(5000) + " {")));
        // state.json (no checksum of its own: it holds the others')
        c.add(new Case("state truncated", "state.json", b -> Arrays.copyOf(b, b.length - 20)));
        c.add(new Case("state wrong magic", "state.json", replace("\"rankfold-state\"", "\"rankfold-model\"")));
        c.add(new Case("state not UTF-8", "state.json", b -> {
            byte[] x = b.clone();
            x[new String(b, StandardCharsets.UTF_8).indexOf("rankfold-state") + 3] = (byte) 0xff;
            return x;
        }));
        c.add(new Case("state epoch 2^60", "state.json", replace("\"epoch\" : 0", "\"epoch\" : 1152921504606846976")));
        c.add(new Case("state negative step", "state.json", replace("\"step\" : 7", "\"step\" : -7")));
        c.add(new Case("state history mismatch", "state.json", replace("\"epoch\" : 0", "\"epoch\" : 3")));
        c.add(new Case("state bad checksum", "state.json", json(s -> s.replaceFirst("\"sha256\" : \"[0-9a-f]", "\"sha256\" : \"x"))));
        c.add(new Case("state unknown file", "state.json", replace("\"files\" : {", "\"files\" : { \"../../etc/passwd\" : {\"sha256\" : \"00\"},")));
        // weights.safetensors
        c.add(new Case("weights changed after saving", "weights.safetensors!", b -> {
            byte[] x = b.clone();
            x[x.length - 1] ^= 1;
            return x;
        }));
        c.add(new Case("weights truncated", "weights.safetensors", b -> Arrays.copyOf(b, b.length - 4)));
        // (padded to the original size: a smaller file could not hold the model, which is refused before parsing)
        c.add(new Case("weights header length 2^60", "weights.safetensors", b -> Arrays.copyOf(safetensorsWithHeader(1L << 60, "{}"),
                b.length)));
        c.add(new Case("weights overlapping offsets", "weights.safetensors", b -> {
            String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[%d],\"data_offsets\":[0,%d]},"
                    + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[%d,%d]}}";
            int data = b.length - 8 - 128;
            String header = String.format(h, data / 4, data / 4 * 4, data / 4 * 4 - 4, data / 4 * 4);
            return Arrays.copyOf(safetensorsWithHeader(header + " ".repeat(128 - header.length())), b.length - data % 4);
        }));
        c.add(new Case("weights out-of-range offsets", "weights.safetensors", b -> Arrays.copyOf(safetensorsWithHeader(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1000000000],\"data_offsets\":[0,4000000000]}}"), b.length)));
        c.add(new Case("weights shape mismatch", "weights.safetensors", b -> {
            try {
                Map<String, NpyArray> t = new LinkedHashMap<>(Safetensors.parse(b, "w").tensors());
                t.put("conv1.weight", NpyArray.ofFloats(new int[] {32, 1, 1, 9}, new float[288]));
                return SafetensorsWriter.toBytes(t, Map.of());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }));
        return c;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path checkpoint(Path dir, String name) throws IOException {
        Path ck = dir.resolve(name);
        CheckpointWriter.save(ck, IN.createZooModel("fashionnet", 1), "fashionnet", IN, new TrainingState(0, 7, List.of()), null,
                null, null);
        return ck;
    }

    /** Writes the damaged file; for any file but state.json its checksum is recomputed unless the name ends in '!'. */
    private static void damage(Path ck, Case k) throws IOException {
        boolean keepSum = k.file().endsWith("!");
        String file = keepSum ? k.file().substring(0, k.file().length() - 1) : k.file();
        byte[] bytes = k.damage().apply(Files.readAllBytes(ck.resolve(file)));
        Files.write(ck.resolve(file), bytes);
        if (!file.equals("state.json") && !keepSum) {
            ObjectNode state = (ObjectNode) MAPPER.readTree(ck.resolve("state.json").toFile());
            ((ObjectNode) state.get("files").get(file)).put("sha256", sha256(bytes));
            Files.write(ck.resolve("state.json"), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        }
    }

    @Test
    void everyDamagedCheckpointIsOneClearErrorWithBoundedAllocation(@TempDir Path dir) throws IOException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        List<String> problems = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        // -Drankfold.hostile.dir=DIR keeps the checkpoints there, e.g. to run `rankfold inspect` on them under -Xmx256m
        String keep = System.getProperty("rankfold.hostile.dir");
        Path where = keep == null ? dir : Files.createDirectories(Path.of(keep));
        for (Case k : cases()) {
            Path ck = checkpoint(where, k.name().replace(' ', '-').replace('^', '_'));
            damage(ck, k);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            long before = mx.getThreadAllocatedBytes(tid);
            int code = Main.run(new String[] {"inspect", ck.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            String e = err.toString().strip();
            rows.add(String.format("%-32s %6.2f MB  %s", k.name(), allocated / 1048576.0, e));
            if (code != 2) {
                problems.add(k.name() + ": exit " + code + ", stderr: " + e + ", stdout: " + out);
            } else if (e.lines().count() != 1 || !e.contains(ck.toString())) {
                problems.add(k.name() + ": not one line naming the file: " + e);
            }
            if (allocated > MAX_ALLOCATION) {
                problems.add(k.name() + ": allocated " + allocated + " bytes");
            }
        }
        // The measured table of docs/hostile-input.md: run with -Drankfold.hostile.print=true to see it.
        if (Boolean.getBoolean("rankfold.hostile.print")) {
            rows.forEach(System.out::println);
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
        assertTrue(cases().size() >= 30);
    }

    @Test
    void nanWeightsLoadAndInspectWarnsPerTensor(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir, "nan");
        damage(ck, new Case("NaN weights", "weights.safetensors", b -> {
            try {
                Map<String, NpyArray> t = new LinkedHashMap<>(Safetensors.parse(b, "w").tensors());
                float[] w = t.get("fc2.weight").asFloats();
                w[3] = Float.NaN;
                w[4] = Float.POSITIVE_INFINITY;
                t.put("fc2.weight", NpyArray.ofFloats(t.get("fc2.weight").shape(), w));
                return SafetensorsWriter.toBytes(t, Map.of());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }));
        StringWriter out = new StringWriter();
        assertEquals(0, Main.run(new String[] {"inspect", ck.toString()}, new PrintWriter(out, true),
                new PrintWriter(new ByteArrayOutputStream(), true)));
        assertTrue(out.toString().contains("'fc2.weight' holds 1 NaN and 1 infinite values"), out.toString());
    }
}
