package org.rankfold.tools.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.idx.IdxArray;
import org.rankfold.datasets.idx.IdxFormat;
import org.rankfold.datasets.loader.Normalization;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.checkpoint.Preprocessing;
import org.rankfold.engine.infer.InferencePlan;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.tools.Main;

/** `rankfold predict` on images, IDX and .npy batches, old checkpoints, and the bad inputs it must refuse. */
class PredictCommandTest {
    private static final InputShape IN = new InputShape(1, 8, 8, 10);
    private static final List<String> NAMES = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine");
    private static final Preprocessing PRE = new Preprocessing(new float[] {0.5f}, new float[] {0.25f}, NAMES);

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static Module model() {
        return IN.createZooModel("fashionnet", 5);
    }

    private static Path checkpoint(Path dir, Preprocessing pre, String data) throws IOException {
        Path ck = dir.resolve("ck");
        var config = data == null ? null : new ObjectMapper().createObjectNode().put("data", data);
        CheckpointWriter.save(ck, model(), "fashionnet", IN, TrainingState.initial(), null, null, config, pre);
        return ck;
    }

    /** The top class the plan gives for pixels on the [0, 1] scale, normalized as the checkpoint says. */
    private static int expectedTop(float[] pixels) {
        float[] x = pixels.clone();
        new Normalization(PRE.mean(), PRE.std()).applyInPlace(x, 0, 1, 64);
        float[] logits = InferencePlan.compile(model(), 1, 8, 8).run(x, 0, 1);
        return PredictCommand.topK(logits, 0, 10, 1)[0];
    }

    private static BufferedImage picture() {
        BufferedImage img = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(4, 2, 10, 12);
        g.setColor(new Color(200, 40, 90));
        g.fillOval(12, 4, 10, 10);
        g.dispose();
        return img;
    }

    @Test
    void classifiesPngAndJpegImagesWithStoredNamesAndProbabilities(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir, PRE, null);
        Path png = dir.resolve("a.png");
        ImageIO.write(picture(), "png", png.toFile());
        Path jpg = dir.resolve("b.jpg");
        ImageIO.write(picture(), "jpeg", jpg.toFile());
        Result r = run("predict", ck.toString(), png.toString(), jpg.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        assertTrue(lines[0].startsWith(png + ": ") && lines[1].startsWith(jpg + ": "), r.out());
        assertEquals(3, lines[0].split(",").length, "three classes by default: " + lines[0]);
        assertTrue(r.err().isEmpty(), "no fallback note for a checkpoint that stores its preprocessing: " + r.err());

        float[] pixels = org.rankfold.tools.predict.ImageDecoder.read(png, 1, 8, 8);
        String top = NAMES.get(expectedTop(pixels));
        assertTrue(lines[0].startsWith(png + ": " + top + " "), "top class " + top + ": " + lines[0]);

        Result j = run("predict", ck.toString(), png.toString(), "--top", "4", "--json");
        assertEquals(0, j.code(), j.err());
        JsonNode o = new ObjectMapper().readTree(j.out());
        JsonNode t = o.at("/predictions/0/top");
        assertEquals(4, t.size(), j.out());
        assertEquals(top, t.get(0).get("name").asText());
        assertEquals("checkpoint", o.get("normalized_with").asText());
        for (int i = 1; i < t.size(); i++) {
            assertTrue(t.get(i).get("probability").asDouble() <= t.get(i - 1).get("probability").asDouble(), j.out());
            assertEquals(NAMES.get(t.get(i).get("class").asInt()), t.get(i).get("name").asText());
        }
    }

    @Test
    void classifiesIdxAndNpyBatchesImageByImage(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir, PRE, null);
        SplittableRandom rng = new SplittableRandom(3);
        byte[] bytes = new byte[3 * 64];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) rng.nextInt(256);
        }
        Path idx = dir.resolve("images-idx3-ubyte");
        IdxFormat.write(idx, new IdxArray(new int[] {3, 8, 8}, bytes));
        float[] floats = new float[2 * 64];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) rng.nextDouble();
        }
        Path npy = dir.resolve("batch.npy");
        try (var out = Files.newOutputStream(npy)) {
            NpyFormat.write(NpyArray.ofFloats(new int[] {2, 1, 8, 8}, floats), out);
        }
        Result r = run("predict", ck.toString(), idx.toString(), npy.toString(), "--top", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode p = new ObjectMapper().readTree(r.out()).get("predictions");
        assertEquals(5, p.size(), r.out());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] img = new float[64];
            for (int e = 0; e < 64; e++) {
                img[e] = (bytes[i * 64 + e] & 0xff) / 255f;
            }
            expected.add(expectedTop(img));
        }
        for (int i = 0; i < 2; i++) {
            expected.add(expectedTop(Arrays.copyOfRange(floats, i * 64, (i + 1) * 64)));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(i < 3 ? i : i - 3, p.get(i).get("index").asInt());
            assertEquals((int) expected.get(i), p.get(i).at("/top/0/class").asInt(), "image " + i + ": " + r.out());
        }
        Result text = run("predict", ck.toString(), npy.toString());
        assertTrue(text.out().contains(npy + "[1]: "), text.out());
    }

    @Test
    void anOldCheckpointFallsBackWithANote(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir, null, "sample");
        Path png = dir.resolve("a.png");
        ImageIO.write(picture(), "png", png.toFile());
        Result r = run("predict", ck.toString(), png.toString(), "--top", "10");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("note: ") && r.err().contains("Fashion-MNIST"), r.err());
        assertTrue(r.out().contains("Trouser") && r.out().contains("Ankle boot"), r.out());

        Path bare = dir.resolve("bare");
        CheckpointWriter.save(bare, model(), "fashionnet", IN, TrainingState.initial(), null, null, null);
        Result b = run("predict", bare.toString(), png.toString(), "--top", "10");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.err().contains("not normalized") && b.out().contains(" 9 "), b.err() + b.out());
    }

    @Test
    void badInputsGiveOneLineAndExitCode2(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir, PRE, null);
        ByteArrayOutputStream pngBytes = new ByteArrayOutputStream();
        ImageIO.write(picture(), "png", pngBytes);
        byte[] png = pngBytes.toByteArray();
        ByteArrayOutputStream jpgBytes = new ByteArrayOutputStream();
        ImageIO.write(picture(), "jpeg", jpgBytes);
        byte[] jpg = jpgBytes.toByteArray();

        Path text = Files.writeString(dir.resolve("notes.png"), "just some text, not an image\n");
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        Path truncatedPng = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        Path truncatedJpg = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpg, jpg.length / 2));
        Path huge = Files.write(dir.resolve("huge.png"), pngHeader(100_000, 100_000));
        Path wrongShape = dir.resolve("wrong.npy");
        try (var out = Files.newOutputStream(wrongShape)) {
            NpyFormat.write(NpyArray.ofFloats(new int[] {2, 3, 8, 8}, new float[2 * 3 * 64]), out);
        }
        for (Path bad : new Path[] {text, empty, truncatedPng, truncatedJpg, huge, wrongShape, dir.resolve("missing.png")}) {
            Result r = run("predict", ck.toString(), bad.toString());
            assertEquals(2, r.code(), bad + ": " + r.err() + r.out());
            assertTrue(r.out().isEmpty(), "no partial output: " + r.out());
            String err = r.err().strip();
            assertEquals(1, err.lines().count(), "one line: " + err);
            assertTrue(err.contains(bad.getFileName().toString()), "names the file: " + err);
        }
        assertTrue(run("predict", ck.toString(), huge.toString()).err().contains("100000x100000"));
        assertEquals(2, run("predict", ck.toString(), text.toString(), "--top", "0").code());
    }

    /** A PNG signature and IHDR chunk (valid CRC) declaring width x height, with no image data after it. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + 17 + 4);
        out.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        return out.array();
    }

    @Test
    void topKAndSoftmaxHelpers() {
        float[] logits = {1f, 3f, 3f, -2f};
        assertArrayEquals(new int[] {1, 2, 0}, PredictCommand.topK(logits, 0, 4, 3));
        double[] p = PredictCommand.softmax(logits, 0, 4);
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-12);
        assertEquals(p[1], p[2], 0);
    }
}
