package org.rankfold.tools.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.audit.AuditJson;
import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.vbmf.audit.UnfoldingAudit;
import org.rankfold.vbmf.pipeline.RunDirectory;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report of a synthetic run directory: structure, plot content, escaping, partial runs. */
class ReportBuilderTest extends SeededTest {
    @TempDir
    Path dir;

    private ReportDom build(boolean recorded) throws Exception {
        SyntheticRun.write(dir, random(), recorded);
        Path report = ReportBuilder.write(dir, List.of());
        assertEquals(dir.toAbsolutePath().normalize().resolve("report.html"), report);
        return new ReportDom(Files.readString(report));
    }

    @Test
    void aSearchedEnergyFractionIsShownInsteadOfTheSearchStrength() throws Exception {
        SyntheticRun.write(dir, random(), true);
        ObjectMapper m = new ObjectMapper();
        ObjectNode summary = (ObjectNode) m.readTree(dir.resolve("summary.json").toFile());
        ((ObjectNode) summary.at("/ablation/full")).put("weakening", 0.0125).put("selector", "energy")
                .put("energy_fraction", 0.9875);
        Files.writeString(dir.resolve("summary.json"), summary.toString());
        String page = Files.readString(ReportBuilder.write(dir, List.of()));
        assertTrue(page.contains("energy fraction 0.9875"), "the fraction the search found");
        assertTrue(page.contains("weakening / fraction"));
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
            String caption = d.all(spectra.get(i), "figcaption").get(0).getTextContent();
            assertTrue(caption.startsWith(total + " singular values, " + kept + " above the EVBMF threshold"), caption);
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
    void theAblationAtMatchedCompressionIsATable() throws Exception {
        assertFalse(build(true).doc.getDocumentElement().getTextContent().contains("Ablation at matched"));
        Path summary = dir.resolve("summary.json");
        ObjectNode s = (ObjectNode) new ObjectMapper().readTree(summary.toFile());
        ObjectNode m = s.putObject("matched").put("measure", "params").put("target", 3.0).put("tolerance", 0.05)
                .put("all_met", true).put("matched", true).put("spread", 0.01);
        m.putObject("variants").putObject("plain").put("ratio", 3.02).put("accuracy", 0.9).put("delta_vs_baseline", -0.01)
                .put("delta_vs_plain", 0.0);
        ((ObjectNode) m.get("variants")).putObject("full").put("ratio", 3.0).put("accuracy", 0.915)
                .put("delta_vs_baseline", 0.005).put("delta_vs_plain", 0.015);
        Files.writeString(summary, s.toString());
        ReportDom d = new ReportDom(Files.readString(ReportBuilder.write(dir, List.of())));
        Element h = d.all(null, "h2").stream().filter(x -> x.getAttribute("id").equals("matched")).findFirst().orElseThrow();
        assertTrue(h.getTextContent().contains("params ratio 3"), h.getTextContent());
        String text = d.doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("+1.50") && text.contains("-1.00") && text.contains("91.50%"), text);
    }

    @Test
    void recordedMachineIsShown() throws Exception {
        ReportDom d = build(true);
        Element machine = d.all(null, "h2").stream().filter(h -> h.getAttribute("id").equals("machine")).findFirst()
                .orElseThrow();
        String table = machine.getNextSibling().getNextSibling().getTextContent();
        assertTrue(table.contains("cores") && table.contains("backend") && table.contains("cpu"), table);
        assertFalse(d.doc.getDocumentElement().getTextContent().contains("Machine not recorded"));
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
    void otherSelectorsDrawNoThresholdAndMissingSpectraAreSaid() throws Exception {
        SyntheticRun.write(dir, random(), false);
        double[] sv = {9, 4, 2, 1, 0.5, 0};
        UnfoldingAudit energy = new UnfoldingAudit(0, 6, 20, "energy:0.9", Double.NaN, Double.NaN, sv, 3, 3, false, List.of());
        UnfoldingAudit none = new UnfoldingAudit(1, 4, 30, "fixed:2", Double.NaN, Double.NaN, new double[0], 2, 2, false,
                List.of());
        DecompositionAudit a = new DecompositionAudit("energy/tucker", "conv9", "tucker2", new int[] {6, 4, 1, 5},
                List.of(energy, none), new int[] {3, 2}, 0.3, 0.31, 2, 120, 60, 1200, 600, 0.01, List.of());
        ObjectNode rec = AuditJson.toJson(a);
        rec.put("variant", "energy");
        new RunDirectory(dir).appendAudit(rec);
        ReportDom d = new ReportDom(Files.readString(ReportBuilder.write(dir, List.of())));
        Element f = d.figures("spectrum").stream().filter(x -> x.getAttribute("data-key").equals("energy/conv9/mode0"))
                .findFirst().orElseThrow();
        List<Element> guides = d.withClass(f, "line", "guide");
        assertEquals(1, guides.size(), "only the rank boundary: no EVBMF threshold for this selector");
        assertEquals(5, d.withClass(f, "circle", "marker").size(), "the zero singular value has no place on a log axis");
        assertTrue(d.all(f, "figcaption").get(0).getTextContent().contains("1 values <= 0"));
        assertTrue(d.figures("spectrum").stream().noneMatch(x -> x.getAttribute("data-key").equals("energy/conv9/mode1")));
        assertTrue(d.doc.getDocumentElement().getTextContent().contains("singular values not recorded (selector fixed:2)"));
    }

    @Test
    void comparedRunsAddPoints(@TempDir Path other) throws Exception {
        SyntheticRun.write(dir, random(), false);
        SyntheticRun.write(other, random(), false);
        ReportDom d = new ReportDom(Files.readString(ReportBuilder.write(dir, List.of(other))));
        assertEquals(10, d.withClass(d.figures("tradeoff").get(0), "circle", "marker").size());
    }

    @Test
    void contentsPlainAgainstFullAndLargeErrorWarnings() throws Exception {
        SyntheticRun.write(dir, random(), false);
        // Raise the full variant's fc1 error past the warning threshold.
        Path audit = dir.resolve("audit.jsonl");
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> lines = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            com.fasterxml.jackson.databind.node.ObjectNode r = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(line);
            if ("fc1".equals(r.path("layer").asText()) && "full".equals(r.path("variant").asText())) {
                r.put("relative_error", 0.7);
            }
            lines.add(r.toString());
        }
        Files.write(audit, lines);
        String html = Files.readString(ReportBuilder.write(dir, List.of()));
        ReportDom d = new ReportDom(html);

        List<Element> links = d.all(d.all(null, "nav").get(0), "a");
        List<Element> sections = d.all(null, "h2").stream().filter(h -> !h.getAttribute("id").isEmpty()).toList();
        assertEquals(sections.size(), links.size(), "one contents entry per section");
        for (int i = 0; i < links.size(); i++) {
            assertEquals("#" + sections.get(i).getAttribute("id"), links.get(i).getAttribute("href"));
        }
        assertTrue(html.contains("id=\"plain-vs-full\""), "the side-by-side section");
        List<Element> compared = d.figures("spectra-compared");
        assertEquals(1, compared.size(), "fc1's one unfolding in both variants (conv1 is skipped, conv2 named differently)");
        assertEquals(2, d.withClass(d.all(compared.get(0), "svg").get(0), "path", "series-line").size(), "plain and full overlaid");
        List<Element> warnings = d.withClass(null, "p", "warning");
        assertEquals(1, warnings.size(), "one layer above 0.5");
        assertTrue(warnings.get(0).getTextContent().contains("relative reconstruction error 0.7"), warnings.get(0).getTextContent());
    }
}
