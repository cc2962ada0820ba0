package org.rankfold.tools.report;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report in a real browser: headless Chromium renders it without console errors (a script,
 * a blocked resource or a CSP violation would log one), keeps every SVG chart in its DOM, and the
 * screenshot is a page with coloured chart content, not a blank one. Skipped, with the reason printed,
 * where {@code /usr/bin/chromium} (or {@code -Drankfold.report.chromium=PATH}) is absent ({@code .ci/run} installs it). With
 * {@code -Drankfold.report.screenshot=FILE.png} the screenshot is also copied to FILE.png, and the page to
 * FILE.html, for a human to look at.
 */
class ChromiumRenderTest extends SeededTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsChromium() {
        boolean present = HeadlessChromium.available();
        String reason = "ChromiumRenderTest skipped: " + HeadlessChromium.BINARY
                + " not found (install Debian's 'chromium' package to run the browser test)";
        if (!present) {
            System.err.println(reason); // printed as well: a skipped browser test must be visible in the log
        }
        Assumptions.assumeTrue(present, reason);
    }

    private Path report() throws Exception {
        Path run = dir.resolve("run");
        SyntheticRun.write(run, random(), true);
        return ReportBuilder.write(run, List.of());
    }

    @Test
    void rendersWithoutConsoleErrorsAndIsNotBlank() throws Exception {
        Path report = report();
        Path png = dir.resolve("report.png");
        HeadlessChromium.Run r = HeadlessChromium.screenshot(report, png, 1280, 4000, dir);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of(), r.consoleLines(), "console messages while rendering");
        assertTrue(Files.size(png) > 0, "screenshot written: " + r.output());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1280, img.getWidth());
        long nonWhite = 0;
        long coloured = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int red = rgb >> 16 & 0xff;
                int green = rgb >> 8 & 0xff;
                int blue = rgb & 0xff;
                if (red < 245 || green < 245 || blue < 245) {
                    nonWhite++;
                }
                if (Math.max(red, Math.max(green, blue)) - Math.min(red, Math.min(green, blue)) > 80) {
                    coloured++;
                }
            }
        }
        long pixels = (long) img.getWidth() * img.getHeight();
        System.err.println("ChromiumRenderTest: " + nonWhite + " of " + pixels + " pixels non-white, " + coloured
                + " coloured; screenshot " + png);
        assertTrue(nonWhite > pixels / 50, "page is not blank: " + nonWhite + " non-white pixels of " + pixels);
        assertTrue(coloured > 2000, "chart series are drawn in colour: " + coloured + " coloured pixels");
        String keep = System.getProperty("rankfold.report.screenshot");
        if (keep != null && !keep.isBlank()) {
            Files.copy(png, Path.of(keep), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(report, Path.of(keep.replaceAll("\\.png$", "") + ".html"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void everyChartSurvivesInTheBrowserDom() throws Exception {
        Path report = report();
        String source = Files.readString(report);
        HeadlessChromium.Run r = HeadlessChromium.dumpDom(report, dir);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of(), r.consoleLines(), "console messages while loading");
        int svgs = count(source, "<svg ");
        assertTrue(svgs > 10, "the report has charts: " + svgs);
        assertEquals(svgs, count(r.output(), "<svg "), "SVG elements in the browser's DOM");
        assertEquals(count(source, "class=\"marker\""), count(r.output(), "class=\"marker\""), "markers in the DOM");
        assertEquals(0, count(r.output(), "<script"), "no script in the DOM");
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
