package org.rankfold.engine.checkpoint;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.datasets.MalformedFileException;

/**
 * A pass over {@code model.json}'s architecture before anything is built: what the described model would
 * allocate is bounded, so a small hostile file cannot make {@link ModelJson#rebuild} or a forward pass (the
 * cost profiler of {@code rankfold inspect}) allocate gigabytes.
 *
 * <ul>
 * <li>Parameters and buffers (counted in floats, in double arithmetic so no product overflows) must fit
 * the budget the caller gives: for a full load, what {@code weights.safetensors} can hold (its size / 4),
 * since every one of them is stored there.</li>
 * <li>Every activation of one image, and every im2col buffer of a convolution ({@code C*KH*KW*OH*OW}),
 * must stay within {@link #MAX_ACTIVATION} elements; output sizes follow the layers' formulas
 * ({@code (H + 2P - D*(K-1) - 1) / S + 1}) from the declared input shape and must stay positive.</li>
 * <li>At most {@link #MAX_LAYERS} nodes.</li>
 * </ul>
 * Structural defects (missing fields, wrong types) are left to {@link ModelJson#rebuild}, which reports them
 * by field; this pass only reads what it needs, with the same typed accessors.
 */
final class ArchitectureBounds {
    /** 2^24 floats = 64 MB: ResNet-56's largest im2col buffer on 32x32 inputs is 16*9*32*32 = 147,456. */
    static final long MAX_ACTIVATION = 1L << 24;
    /** Far above VGG-16 (~60 nodes) or ResNet-56 (~250). */
    static final int MAX_LAYERS = 4096;

    /** A BasicBlock's children, the main path first (conv1 -> bn1 -> conv2 -> bn2), its shortcut on the block input. */
    private static final java.util.List<String> BLOCK_PARTS = java.util.List.of("conv1", "bn1", "conv2", "bn2", "shortcut");

    private final Path file;
    private final double maxParameters;
    private double parameters;
    private int layers;

    private ArchitectureBounds(Path file, double maxParameters) {
        this.file = file;
        this.maxParameters = maxParameters;
    }

    /**
     * Checks the architecture {@code arch} for inputs {@code chw} (channels, height, width).
     *
     * @param maxParameters the most floats (parameters plus buffers) the model may hold
     */
    static void check(JsonNode arch, int[] chw, long maxParameters, Path file) throws MalformedFileException {
        ArchitectureBounds b = new ArchitectureBounds(file, maxParameters);
        b.activation((double) chw[0] * chw[1] * chw[2], "input.");
        b.walk(arch, new long[] {chw[0], chw[1], chw[2]}, "architecture.");
    }

    /** The output shape of node {@code n} for input {@code in} ((C, H, W) or (F)), checking its costs. */
    private long[] walk(JsonNode n, long[] in, String where) throws MalformedFileException {
        if (++layers > MAX_LAYERS) {
            throw fail(where, "the architecture has more than " + MAX_LAYERS + " layers");
        }
        String type = CheckpointJson.text(n, "type", file, where);
        String path = where + "(" + type + ").";
        return switch (type) {
            case "Sequential" -> {
                long[] x = in;
                for (JsonNode c : children(n, path)) {
                    x = walk(c, x, path + name(c, path) + ".");
                }
                yield x;
            }
            case "BasicBlock" -> {
                // main path conv1 -> bn1 -> conv2 -> bn2; the shortcut sees the block's input
                // (every child is visited once: rebuild builds each child before it checks the names)
                java.util.Map<String, JsonNode> parts = new java.util.HashMap<>();
                for (JsonNode c : children(n, path)) {
                    String part = name(c, path);
                    if (!BLOCK_PARTS.contains(part) || parts.put(part, c) != null) {
                        throw fail(path + "children", "unexpected or repeated child '" + part
                                + "' (a BasicBlock has conv1, bn1, conv2, bn2 and an optional shortcut)");
                    }
                }
                long[] x = in;
                for (String part : BLOCK_PARTS) {
                    JsonNode c = parts.get(part);
                    if (c != null && part.equals("shortcut")) {
                        walk(c, in, path + part + ".");
                    } else if (c != null) {
                        x = walk(c, x, path + part + ".");
                    }
                }
                yield x;
            }
            case "Conv2d" -> {
                int c = CheckpointJson.smallInt(n, "in_channels", 1, file, path);
                int s = CheckpointJson.smallInt(n, "out_channels", 1, file, path);
                int[] k = CheckpointJson.ints(n, "kernel", 2, 1, file, path);
                params((double) s * c * k[0] * k[1] + bias(n, s, path), path);
                yield conv(n, in, c, s, path);
            }
            case "FactorizedConv2d" -> {
                int c = CheckpointJson.smallInt(n, "in_channels", 1, file, path);
                int s = CheckpointJson.smallInt(n, "out_channels", 1, file, path);
                int rIn = CheckpointJson.smallInt(n, "rank_in", 1, file, path);
                int rOut = CheckpointJson.smallInt(n, "rank_out", 1, file, path);
                int[] k = CheckpointJson.ints(n, "kernel", 2, 1, file, path);
                params((double) rIn * c + (double) rOut * rIn * k[0] * k[1] + (double) s * rOut + bias(n, s, path), path);
                activation((double) rIn * spatial(in, path), path);
                long[] mid = conv(n, new long[] {rIn, in[1], in[2]}, rIn, rOut, path);
                activation((double) s * mid[1] * mid[2], path);
                yield new long[] {s, mid[1], mid[2]};
            }
            case "Linear" -> {
                int f = CheckpointJson.smallInt(n, "in_features", 1, file, path);
                int o = CheckpointJson.smallInt(n, "out_features", 1, file, path);
                params((double) o * f + bias(n, o, path), path);
                yield new long[] {o};
            }
            case "BatchNorm2d" -> {
                params(4.0 * CheckpointJson.smallInt(n, "num_features", 1, file, path), path);
                yield in;
            }
            case "MaxPool2d", "AvgPool2d" -> {
                int[] k = CheckpointJson.ints(n, "kernel", 2, 1, file, path);
                int[] st = CheckpointJson.ints(n, "stride", 2, 1, file, path);
                int[] p = CheckpointJson.ints(n, "padding", 2, 0, file, path);
                long[] sp = spatialDims(in, path);
                long oh = outSize(sp[1], k[0], st[0], p[0], 1, path);
                long ow = outSize(sp[2], k[1], st[1], p[1], 1, path);
                activation((double) sp[0] * oh * ow, path);
                yield new long[] {sp[0], oh, ow};
            }
            case "Flatten" -> {
                long e = 1;
                for (long d : in) {
                    e *= d;
                }
                yield new long[] {e};
            }
            case "GlobalAvgPool" -> new long[] {spatialDims(in, path)[0]};
            default -> in; // ReLU, Dropout keep the shape; unknown types are reported by rebuild
        };
    }

    /** Output (S, OH, OW) of a convolution of input (C, H, W), checking the im2col buffer and the output. */
    private long[] conv(JsonNode n, long[] in, int c, int s, String path) throws MalformedFileException {
        int[] k = CheckpointJson.ints(n, "kernel", 2, 1, file, path);
        int[] st = CheckpointJson.ints(n, "stride", 2, 1, file, path);
        int[] p = CheckpointJson.ints(n, "padding", 2, 0, file, path);
        int[] d = CheckpointJson.ints(n, "dilation", 2, 1, file, path);
        long[] sp = spatialDims(in, path);
        long oh = outSize(sp[1], k[0], st[0], p[0], d[0], path);
        long ow = outSize(sp[2], k[1], st[1], p[1], d[1], path);
        activation((double) c * k[0] * k[1] * oh * ow, path);
        activation((double) s * oh * ow, path);
        return new long[] {s, oh, ow};
    }

    private long outSize(long size, int k, int stride, int pad, int dilation, String path) throws MalformedFileException {
        long o = (size + 2L * pad - (long) dilation * (k - 1) - 1) / stride + 1;
        if (size + 2L * pad - (long) dilation * (k - 1) - 1 < 0 || o < 1) {
            throw fail(path, "kernel " + k + " (dilation " + dilation + ", padding " + pad + ") does not fit an input of size " + size);
        }
        return o;
    }

    private long[] spatialDims(long[] in, String path) throws MalformedFileException {
        if (in.length != 3) {
            throw fail(path, "expects (C, H, W) input but the layers before it give " + in.length + " dimension(s)");
        }
        return in;
    }

    private double spatial(long[] in, String path) throws MalformedFileException {
        long[] s = spatialDims(in, path);
        return (double) s[1] * s[2];
    }

    private int bias(JsonNode n, int outputs, String path) throws MalformedFileException {
        return CheckpointJson.bool(n, "bias", file, path) ? outputs : 0;
    }

    private void params(double count, String path) throws MalformedFileException {
        parameters += count;
        if (parameters > maxParameters) {
            throw fail(path, String.format(java.util.Locale.ROOT, "the layers up to here hold %.4g parameters and buffers,"
                    + " more than the %d floats that weights.safetensors can hold", parameters, (long) maxParameters));
        }
    }

    private void activation(double elements, String path) throws MalformedFileException {
        if (elements > MAX_ACTIVATION) {
            throw fail(path, String.format(java.util.Locale.ROOT, "an activation or im2col buffer of %.4g elements per image"
                    + " (limit %d) for the declared input", elements, MAX_ACTIVATION));
        }
    }

    private Iterable<JsonNode> children(JsonNode n, String path) throws MalformedFileException {
        JsonNode c = CheckpointJson.field(n, "children", file, path);
        if (!c.isArray()) {
            throw fail(path, "'children' must be an array");
        }
        return c;
    }

    private String name(JsonNode c, String path) throws MalformedFileException {
        return CheckpointJson.text(c, "name", file, path);
    }

    private MalformedFileException fail(String path, String what) {
        return new MalformedFileException(file.toString(), -1, "field '" + path + "': " + what);
    }
}
