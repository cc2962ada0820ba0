package org.rankfold.tools.report;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart writer: axis scales, ticks, what is drawn and how text is escaped. */
class SvgChartTest {

    @Test
    void longLabelsStayInsideTheChartOrAreShortenedWithTheFullTextAsTitle() throws Exception {
        String layer = "features.block17.conv_expand_depthwise_pointwise.weight_with_a_very_long_name_indeed";
        SvgChart c = new SvgChart("singular values of " + layer + " (mode 1)", "component index of " + layer, "value")
                .add(new Series(layer, new double[] {1, 2, 3}, new double[] {0.0000123, 0.0000456, 0.0000987},
                        Series.Style.MARKERS, "#1f77b4", List.of("a", "b", layer)))
                .add(new Guide(false, 2.9, "rank boundary of " + layer, "#d62728"));
        ReportDom d = new ReportDom("<!DOCTYPE html><html><body>" + c.toSvg() + "</body></html>");
        org.w3c.dom.Element svg = d.all(null, "svg").get(0);
        double width = Double.parseDouble(svg.getAttribute("width"));
        int titled = 0;
        for (org.w3c.dom.Element t : d.all(svg, "text")) {
            if (t.hasAttribute("transform")) {
                continue;
            }
            List<org.w3c.dom.Element> title = d.all(t, "title");
            String visible = t.getTextContent();
            if (!title.isEmpty()) {
                String full = title.get(0).getTextContent();
                visible = visible.substring(full.length());
                assertTrue(visible.endsWith("\u2026") && full.startsWith(visible.substring(0, visible.length() - 1)),
                        "shortened text is a prefix of its title: " + visible);
                titled++;
            }
            double charWidth = "chart-title".equals(t.getAttribute("class")) ? 7.8 : 6.2;
            double w = charWidth * visible.length();
            double x = Double.parseDouble(t.getAttribute("x"));
            double from = switch (t.getAttribute("text-anchor")) {
                case "middle" -> x - w / 2;
                case "end" -> x - w;
                default -> x;
            };
            assertTrue(from >= 0 && from + w <= width + 0.5, "text '" + visible + "' spans " + from + ".." + (from + w)
                    + " in an svg " + width + " wide");
        }
        assertTrue(titled >= 3, "the long title, axis label and legend entry are shortened, got " + titled);
    }

    @Test
    void logScaleEndsOnOneTwoFiveAndMapsDecadesEvenly() {
        Scale s = Scale.fit(new double[] {0.03, 2, 450, 0, -1, Double.NaN}, true, 100, 0);
        assertEquals(0.02, s.min(), 1e-15);
        assertEquals(500, s.max(), 1e-9);
        assertEquals(List.of(0.1, 1.0, 10.0, 100.0), s.ticks(), "decades over a wide range");
        double decade = s.toPixel(1) - s.toPixel(10);
        assertEquals(decade, s.toPixel(10) - s.toPixel(100), 1e-9);
        assertEquals(100, s.toPixel(0.02), 1e-9);
        assertEquals(0, s.toPixel(500), 1e-9);
        assertFalse(s.contains(0));
        Scale narrow = Scale.fit(new double[] {0.31, 1.08}, true, 100, 0);
        assertEquals(0.2, narrow.min(), 1e-15);
        assertEquals(2, narrow.max(), 1e-15);
        assertEquals(List.of(0.2, 0.5, 1.0, 2.0), narrow.ticks(), "1-2-5 ticks over a narrow range");
        assertEquals("1e-3", new Scale(1e-3, 1, true, 0, 1).label(1e-3));
        assertEquals("2e-3", new Scale(1e-3, 1, true, 0, 1).label(2e-3));
    }

    @Test
    void linearScaleUsesRoundSteps() {
        Scale s = Scale.fit(new double[] {0.12, 0.87}, false, 0, 100);
        assertEquals(0.0, s.min(), 1e-12);
        assertEquals(1.0, s.max(), 1e-12);
        assertEquals(6, s.ticks().size());
        assertEquals("0.4", s.label(s.ticks().get(2)));
        Scale flat = Scale.fit(new double[] {5, 5}, false, 0, 1);
        assertTrue(flat.min() < 5 && flat.max() > 5, "a constant series gets a range");
        assertThrows(IllegalArgumentException.class, () -> new Scale(0, 1, true, 0, 1));
    }

    @Test
    void anEpochAxisTicksOnlyWholeNumbers() {
        assertEquals(List.of(1.0, 2.0, 3.0), Scale.fit(new double[] {1, 2, 3}, false, true, 0, 100).ticks());
        Scale one = Scale.fit(new double[] {1}, false, true, 0, 100);
        assertEquals(List.of(0.0, 1.0, 2.0), one.ticks(), "a single epoch sits in the middle of [0, 2]");
        assertEquals(50, one.toPixel(1), 1e-9);
        assertEquals(List.of(0.0, 5.0, 10.0, 15.0), Scale.fit(new double[] {1, 15}, false, true, 0, 100).ticks());
    }

    @Test
    void valuesWithoutAPositionAreLeftOutAndBreakTheLine() {
        SvgChart c = new SvgChart("t", "x", "y").logY()
                .add(new Series("s", new double[] {1, 2, 3, 4}, new double[] {10, 0, 5, 2}, Series.Style.LINE_MARKERS, "#112233"));
        assertEquals(3, c.drawablePoints());
        String svg = c.toSvg();
        assertEquals(3, svg.split("class=\"marker\"", -1).length - 1);
        // the point at 0 splits the path into two pieces: M..., then M... L...
        String d = svg.replaceAll("(?s).*class=\"series-line\" d=\"([^\"]*)\".*", "$1");
        assertEquals(2, d.split("M", -1).length - 1, d);
    }

    @Test
    void textIsEscaped() {
        String svg = new SvgChart("<b>&", "x\"", "y'").add(Guide.horizontal(1, "</svg><script>", "#000000"))
                .add(new Series("<i>", new double[] {1}, new double[] {1}, Series.Style.MARKERS, "#000000",
                        List.of("a<b"))).toSvg();
        assertFalse(svg.contains("<b>") || svg.contains("<script>") || svg.contains("<i>") || svg.contains("a<b"), svg);
        assertTrue(svg.contains("&lt;b&gt;&amp;") && svg.contains("x&quot;") && svg.contains("y&#39;"), svg);
        assertThrows(IllegalArgumentException.class, () -> new Series("s", new double[] {1}, new double[] {1},
                Series.Style.LINE, "red\" onload=\"x"));
    }

    @Test
    void htmlEscapeCoversMarkupAndControlCharacters() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;\uFFFD\t", Html.escape("<a href=\"x\" title='y'>&\u0001\t"));
        assertEquals("", Html.escape(null));
        assertEquals("n/a", Html.number(Double.NaN));
        assertEquals("12", Html.number(12.0));
        assertEquals("1.000e-04", Html.number(1e-4));
        assertEquals("87.10%", Html.percent(0.871));
    }
}
