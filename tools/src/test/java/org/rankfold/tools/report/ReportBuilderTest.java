package org.rankfold.tools.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.kernels.testing.SeededTest;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report of a synthetic run directory: structure, plot content, escaping, partial runs. */
class ReportBuilderTest extends SeededTest {
    @TempDir
    Path dir;

    private ReportDom build(boolean orthogonality) throws Exception {
        SyntheticRun.write(dir, random(), orthogonality);
        Path report = ReportBuilder.write(dir, List.of());
        assertEquals(dir.toAbsolutePath().normalize().resolve("report.html"), report);
        return new ReportDom(Files.readString(report));
    }

    @Test
    void everyPlotHasDrawnContent() throws Exception {
        ReportDom d = build(true);
        List<Element> figures = d.all(null, "figure");
        assertFalse(figures.isEmpty());
        for (Element f : figures) {
            List<Element> svgs = d.all(f, "svg");
            assertEquals(1, svgs.size(), "one svg in figure " + f.getAttribute("data-key"));
            int lines = d.withClass(svgs.get(0), "path", "series-line").size();
            int markers = d.withClass(svgs.get(0), "circle", "marker").size();
            assertTrue(lines + markers > 0, "figure " + f.getAttribute("data-kind") + " " + f.getAttribute("data-key")
                    + " draws nothing");
            for (Element p : d.withClass(svgs.get(0), "path", "series-line")) {
                assertTrue(p.getAttribute("d").matches("M[-0-9. LM]+"), p.getAttribute("d"));
                assertFalse(p.getAttribute("d").contains("NaN") || p.getAttribute("d").contains("Infinity"));
            }
            assertFalse(d.all(svgs.get(0), "text").isEmpty(), "axis labels are text");
        }
    }

    @Test
    void oneSpectrumPerLayerAndUnfolding() throws Exception {
        SyntheticRun.Written w = SyntheticRun.write(dir, random(), false);
        ReportDom d = new ReportDom(Files.readString(ReportBuilder.write(dir, List.of())));
        List<Element> spectra = d.figures("spectrum");
        assertEquals(w.spectra(), spectra.size());
        Set<String> keys = new HashSet<>();
        spectra.forEach(f -> keys.add(f.getAttribute("data-key")));
        assertEquals(Set.copyOf(w.spectrumKeys()), keys);
        for (int i = 0; i < spectra.size(); i++) {
            Element svg = d.all(spectra.get(i), "svg").get(0);
            int kept = w.keptAndTotal().get(i)[0];
            int total = w.keptAndTotal().get(i)[1];
            List<Element> markers = d.withClass(svg, "circle", "marker");
            long filled = markers.stream().filter(m -> !m.getAttribute("fill").equals("#ffffff")).count();
            assertEquals(total, markers.size(), "every singular value drawn");
            assertEquals(kept, filled, "kept components are the filled markers");
            List<Element> guides = d.withClass(svg, "line", "guide");
            assertEquals(kept < total ? 2 : 1, guides.size(), "threshold line and rank boundary");
            // EVBMF keeps gamma_h iff gamma_h > threshold: filled markers lie above the threshold line
            double thresholdY = Double.parseDouble(guides.get(0).getAttribute("y1"));
            for (Element m : markers) {
                double cy = Double.parseDouble(m.getAttribute("cy"));
                boolean isKept = !m.getAttribute("fill").equals("#ffffff");
                assertEquals(isKept, cy < thresholdY, "marker at y=" + cy + " vs threshold y=" + thresholdY);
            }
            assertTrue(svg.getTextContent().contains("(log scale)"), "log axis labelled");
        }
    }

    @Test
    void curvesForEveryPhaseAndTradeoffPlots() throws Exception {
        ReportDom d = build(true);
        for (String kind : List.of("loss", "accuracy", "lr")) {
            Set<String> phases = new HashSet<>();
            d.figures(kind).forEach(f -> phases.add(f.getAttribute("data-key")));
            assertEquals(Set.copyOf(SyntheticRun.PHASES), phases, kind);
        }
        assertEquals(2, d.figures("tradeoff").size());
        Element params = d.figures("tradeoff").get(0);
        // baseline + 2 variants after fine-tuning, 2 before
        assertEquals(5, d.withClass(params, "circle", "marker").size());
        assertEquals(3, d.withClass(params, "text", "point-label").size());
        assertEquals(1, d.figures("orthogonality").size());
        assertEquals(2 * 3, d.withClass(d.figures("orthogonality").get(0), "circle", "marker").size());
    }

    @Test
    void fileTextNeverBecomesMarkup() throws Exception {
        ReportDom d = build(false);
        assertTrue(d.all(null, "script").isEmpty(), "no script element");
        assertTrue(d.all(null, "img").isEmpty(), "no img element");
        for (Element e : d.all(null, "*")) {
            NamedNodeMap a = e.getAttributes();
            for (int i = 0; i < a.getLength(); i++) {
                assertFalse(a.item(i).getNodeName().toLowerCase().startsWith("on"), "event handler attribute on <"
                        + e.getTagName() + ">");
            }
        }
        String text = d.doc.getDocumentElement().getTextContent();
        assertTrue(text.contains(SyntheticRun.EVIL_LAYER), "the layer name is shown as text");
        assertTrue(text.contains(SyntheticRun.EVIL_NOTE), "the note is shown as text");
        assertTrue(text.contains(SyntheticRun.EVIL_DATASET), "the dataset name is shown as text");
        assertEquals(1, d.all(null, "title").stream().filter(t -> t.getParentNode().getNodeName().equals("head")).count());
        String csp = d.all(null, "meta").stream().filter(m -> m.getAttribute("http-equiv").equals("Content-Security-Policy"))
                .findFirst().orElseThrow().getAttribute("content");
        assertTrue(csp.startsWith("default-src 'none'"), csp);
    }

    @Test
    void unrecordedFieldsAreSaidToBeMissing() throws Exception {
        ReportDom d = build(false);
        String text = d.doc.getDocumentElement().getTextContent();
        assertTrue(d.figures("orthogonality").isEmpty());
        assertTrue(text.contains("no orthogonality.csv"), "orthogonality not recorded");
        assertTrue(text.contains("Machine not recorded"), "machine not recorded");
        Element notRecorded = d.all(null, "h2").stream().filter(h -> h.getAttribute("id").equals("not-recorded")).findFirst()
                .orElseThrow();
        assertTrue(notRecorded.getNextSibling().getNextSibling().getTextContent().contains("orthogonality"));
        assertTrue(text.contains("7.25"), "wall time of the baseline phase");
    }

    @Test
    void aRunWithoutSummaryStillGetsAReport() throws Exception {
        SyntheticRun.write(dir, random(), false);
        Files.delete(dir.resolve("summary.json"));
        ReportDom d = new ReportDom(Files.readString(ReportBuilder.write(dir, List.of())));
        String text = d.doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("summary.json is not written yet"), "says the run is incomplete");
        assertTrue(d.figures("tradeoff").isEmpty());
        assertFalse(d.figures("spectrum").isEmpty(), "spectra from audit.jsonl");
        assertTrue(text.contains("7.25"), "wall time from progress.json");
    }

    @Test
    void comparedRunsAddPoints(@TempDir Path other) throws Exception {
        SyntheticRun.write(dir, random(), false);
        SyntheticRun.write(other, random(), false);
        ReportDom d = new ReportDom(Files.readString(ReportBuilder.write(dir, List.of(other))));
        assertEquals(10, d.withClass(d.figures("tradeoff").get(0), "circle", "marker").size());
    }
}
