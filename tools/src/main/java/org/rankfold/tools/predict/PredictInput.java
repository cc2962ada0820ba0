package org.rankfold.tools.predict;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.idx.IdxArray;
import org.rankfold.datasets.idx.IdxFormat;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.tools.UserError;

/**
 * One input of {@code rankfold predict}: a PNG or JPEG image (one image, converted and resized, see
 * {@link ImageDecoder}) or a batch in an IDX file (unsigned bytes, (N, H, W) or (N, C, H, W), scaled by
 * 1/255) or a {@code .npy} file ((N, C, H, W), or (N, H, W) for one channel; uint8 scaled by 1/255, float
 * taken as pixels on the [0, 1] scale). Batches must already have the model's shape. The kind is told by
 * the file's first bytes, not its name.
 *
 * @param file   where it came from
 * @param batch  true for an IDX/.npy batch (its images are reported by index)
 * @param count  images
 * @param pixels count x (C, H, W) floats on the [0, 1] scale, not yet normalized
 */
public record PredictInput(Path file, boolean batch, int count, float[] pixels) {

    /** Reads {@code file} for a model taking channels x height x width images. */
    public static PredictInput read(Path file, int channels, int height, int width) throws IOException {
        if (!Files.exists(file)) {
            throw new UserError("no such file: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + " is not a regular file");
        }
        byte[] head = new byte[8];
        int got;
        try (InputStream in = Files.newInputStream(file)) {
            got = in.readNBytes(head, 0, head.length);
        }
        if (got == 0) {
            throw new MalformedFileException(file.toString(), 0, "a PNG or JPEG image, an IDX or a .npy file, found an empty file");
        }
        int b0 = head[0] & 0xff;
        int b1 = got > 1 ? head[1] & 0xff : -1;
        if ((b0 == 0x89 && b1 == 'P') || (b0 == 0xff && b1 == 0xd8)) {
            return new PredictInput(file, false, 1, ImageDecoder.read(file, channels, height, width));
        }
        if (b0 == 0x93 && b1 == 'N') {
            return npy(file, channels, height, width);
        }
        if ((b0 == 0 && b1 == 0) || (b0 == 0x1f && b1 == 0x8b)) {
            return idx(file, channels, height, width);
        }
        throw new MalformedFileException(file.toString(), 0, "a PNG or JPEG image, an IDX or a .npy file, found none of their"
                + String.format(" headers (first bytes %02x %02x)", b0, Math.max(0, b1)));
    }

    private static PredictInput idx(Path file, int channels, int height, int width) throws IOException {
        IdxArray a = IdxFormat.read(file);
        int[] d = a.dims();
        int n = checkShape(file, d, channels, height, width, "IDX");
        byte[] data = a.data();
        float[] px = new float[data.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (data[i] & 0xff) / 255f;
        }
        return new PredictInput(file, true, n, px);
    }

    private static PredictInput npy(Path file, int channels, int height, int width) throws IOException {
        NpyArray a = NpyFormat.read(file);
        int n = checkShape(file, a.shape(), channels, height, width, ".npy");
        float[] px;
        switch (a.dtype()) {
            case UINT8 -> {
                byte[] bytes = a.asBytes();
                px = new float[bytes.length];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (bytes[i] & 0xff) / 255f;
                }
            }
            case FLOAT32, FLOAT64 -> {
                px = a.asFloats().clone();
                for (int i = 0; i < px.length; i++) {
                    if (!Float.isFinite(px[i])) {
                        throw new MalformedFileException(file.toString(), -1, "finite pixel values, found " + px[i]
                                + " at flat index " + i);
                    }
                }
            }
            default -> throw new MalformedFileException(file.toString(), -1, "uint8, float32 or float64 pixels, found "
                    + a.dtype());
        }
        return new PredictInput(file, true, n, px);
    }

    /** The image count of a (N, H, W) or (N, C, H, W) array of the model's shape. */
    private static int checkShape(Path file, int[] d, int channels, int height, int width, String kind)
            throws MalformedFileException {
        boolean ok = (d.length == 4 && d[1] == channels && d[2] == height && d[3] == width)
                || (d.length == 3 && channels == 1 && d[1] == height && d[2] == width);
        if (!ok || d[0] < 1) {
            throw new MalformedFileException(file.toString(), -1, "a " + kind + " batch of shape (N, " + channels + ", "
                    + height + ", " + width + ")" + (channels == 1 ? " or (N, " + height + ", " + width + ")" : "")
                    + " with N >= 1, found " + Arrays.toString(d));
        }
        return d[0];
    }
}
