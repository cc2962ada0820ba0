package org.rankfold.tools.predict;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.tools.UserError;

/**
 * Reads a PNG or JPEG image (the JDK's {@code javax.imageio}) into a model input: pixels on the [0, 1] scale,
 * converted to the model's channels (1: luminance 0.299 R + 0.587 G + 0.114 B, as PIL's "L"; 3: R, G, B)
 * and resized to its height and width (bilinear; transparent pixels become black). The header's dimensions
 * are checked before any pixel is decoded, so a hostile file cannot make us allocate gigabytes; a decoder
 * warning (a truncated JPEG, which the JDK would otherwise fill with gray) is an error like a failed decode.
 * Every failure is a {@link MalformedFileException} naming the file (exit code 2).
 */
public final class ImageDecoder {
    /** Largest side accepted, in pixels. */
    static final int MAX_SIDE = 16_384;
    /** Largest image accepted, in pixels (about 160 MB of ARGB after decoding). */
    static final long MAX_PIXELS = 40_000_000L;

    private ImageDecoder() {
    }

    /** The image in {@code file} as (channels, height, width) floats on the [0, 1] scale. */
    public static float[] read(Path file, int channels, int height, int width) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserError(Files.exists(file) ? file + " is not a regular file" : "no such file: " + file);
        }
        if (Files.size(file) == 0) {
            throw new MalformedFileException(file.toString(), 0, "a PNG or JPEG image, found an empty file");
        }
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new UserError("cannot open " + file);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new MalformedFileException(file.toString(), 0, "a PNG or JPEG image, found no known image header");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
                if (!format.equals("png") && !format.equals("jpeg")) {
                    throw new MalformedFileException(file.toString(), 0, "a PNG or JPEG image, found " + format);
                }
                int w;
                int h;
                try {
                    w = reader.getWidth(0);
                    h = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw new MalformedFileException(file.toString(), -1, "a readable " + format + " header ("
                            + message(e) + ")");
                }
                if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
                    throw new MalformedFileException(file.toString(), -1, "an image of at most " + MAX_SIDE + " pixels a side and "
                            + MAX_PIXELS + " pixels in all, the header says " + w + "x" + h);
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                try {
                    image = reader.read(0);
                } catch (IOException | RuntimeException e) {
                    throw new MalformedFileException(file.toString(), -1, "a complete " + format + " image (" + message(e)
                            + "; truncated or corrupt?)");
                }
                if (!warnings.isEmpty()) {
                    throw new MalformedFileException(file.toString(), -1, "a complete " + format + " image (decoder: "
                            + warnings.getFirst() + ")");
                }
            } finally {
                reader.dispose();
            }
        }
        return toInput(image, channels, height, width);
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Resizes to width x height and converts to {@code channels} planes on the [0, 1] scale. */
    static float[] toInput(BufferedImage image, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new UserError("images can be converted to 1 (gray) or 3 (RGB) channels; the model takes " + channels);
        }
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        int plane = height * width;
        float[] out = new float[channels * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = scaled.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int gr = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                int at = y * width + x;
                if (channels == 1) {
                    out[at] = (float) ((0.299 * r + 0.587 * gr + 0.114 * b) / 255.0);
                } else {
                    out[at] = r / 255f;
                    out[plane + at] = gr / 255f;
                    out[2 * plane + at] = b / 255f;
                }
            }
        }
        return out;
    }
}
