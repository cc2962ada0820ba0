package org.rankfold.datasets.image;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.DataResolver;
import org.rankfold.datasets.DataSplit;
import org.rankfold.datasets.MalformedFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --data images:DIR: ImageFolder layout, seeded split or train/test folders, conversion, hostile images. */
class ImageFolderDataTest {

    private static final DataResolver RESOLVER = new DataResolver(Optional.empty(), List.of());

    /** {@code count} 10x12 RGB PNGs of one colour (red for class "cat", blue otherwise) in {@code dir/cls}. */
    static void images(Path dir, String cls, int count) throws Exception {
        Files.createDirectories(dir.resolve(cls));
        for (int i = 0; i < count; i++) {
            BufferedImage img = new BufferedImage(12, 10, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 12; x++) {
                    img.setRGB(x, y, cls.equals("cat") ? 0xff0000 : 0x0000ff);
                }
            }
            ImageIO.write(img, "png", dir.resolve(cls).resolve("img" + i + ".png").toFile());
        }
    }

    @Test
    void classFoldersAreSplitByASeedAndConverted(@TempDir Path dir) throws Exception {
        images(dir, "dog", 7);
        images(dir, "cat", 8);
        Files.writeString(dir.resolve("dog").resolve("notes.txt"), "not an image");
        DataSplit s = RESOLVER.load("images-8x1:" + dir);
        assertEquals(List.of("cat", "dog"), s.train().classNames(), "sorted folder names");
        assertEquals(15, s.train().size() + s.test().size());
        assertEquals(1, s.test().size(), "every 10th of 15");
        assertEquals(1, s.train().channels());
        assertEquals(8, s.train().height());
        assertEquals(8, s.train().width());
        for (int i = 0; i < s.train().size(); i++) {
            int gray = s.train().imageBytes(i)[0] & 0xff;
            // luminance of pure red (0.299) or pure blue (0.114), on 0-255
            assertEquals(s.train().label(i) == 0 ? 76 : 29, gray, 1, "image " + i);
        }
        DataSplit rgb = RESOLVER.load("images:" + dir);
        assertEquals(3, rgb.train().channels());
        assertEquals(32, rgb.train().height());
    }

    @Test
    void trainAndTestFoldersAreUsedAsGiven(@TempDir Path dir) throws Exception {
        images(dir.resolve("train"), "cat", 3);
        images(dir.resolve("train"), "dog", 3);
        images(dir.resolve("test"), "cat", 2);
        images(dir.resolve("test"), "dog", 1);
        DataSplit s = RESOLVER.load("images-4x3:" + dir);
        assertEquals(6, s.train().size());
        assertEquals(3, s.test().size());
        assertTrue(s.origin().contains("train/ and test/"), s.origin());
    }

    @Test
    void aHostileImageIsOneErrorNamingIt(@TempDir Path dir) throws Exception {
        images(dir, "cat", 5);
        images(dir, "dog", 5);
        Path bad = dir.resolve("dog").resolve("broken.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0x7f, 0x7f, 0x7f, 0x7f});
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> RESOLVER.load("images:" + dir));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RESOLVER.load("images-8x2:" + dir));
        assertThrows(IllegalArgumentException.class, () -> RESOLVER.load("images:" + dir.resolve("none")));
        Path one = dir.resolve("one");
        images(one, "cat", 3);
        assertThrows(MalformedFileException.class, () -> RESOLVER.load("images:" + one));
    }
}
