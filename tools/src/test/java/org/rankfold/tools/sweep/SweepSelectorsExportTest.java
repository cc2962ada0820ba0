package org.rankfold.tools.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rank selectors compared at matched params (one trained cell, two reusing it), the penalty's share of the loss per
 * epoch, and the export of the sweep's small files, collected again to the same sweep.json.
 */
class SweepSelectorsExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String[] grid(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("sweep", "--models", "fashionnet", "--variants", "plain,full", "--targets",
                "params:2", "--selectors", "evbmf,energy", "--seeds", "1", "--preset", "quick", "--data", "sample",
                SweepCommandTest.TINY, "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static JsonNode json(Path p) throws IOException {
        return JSON.readTree(p.toFile());
    }

    private static JsonNode group(JsonNode sweep, String selector) {
        for (JsonNode g : sweep.get("groups")) {
            if (g.get("selector").asText().equals(selector)) {
                return g;
            }
        }
        throw new AssertionError("no group for " + selector + " in " + sweep);
    }

    @Test
    void selectorsAtMatchedParamsPenaltyShareAndAnExportThatCollectsToTheSameFiles(@TempDir Path dir) throws Exception {
        Path sw = dir.resolve("sw");
        SweepCommandTest.Out dry = SweepCommandTest.run(grid(sw, "--dry-run"));
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("0 fashionnet-paramsx2-s1 [not started]"), dry.out());
        assertTrue(dry.out().contains("1 fashionnet-paramsx2-energy-s1 [not started]"), dry.out());
        assertTrue(dry.out().contains("--selector energy") && dry.out().contains("--reuse-training "
                + sw.toAbsolutePath().resolve("fashionnet-paramsx2-s1")), dry.out());

        SweepCommandTest.Out run = SweepCommandTest.run(grid(sw, "--jobs", "2"));
        assertEquals(0, run.code(), run.out() + run.err());
        JsonNode s = json(sw.resolve("sweep.json"));
        assertEquals(2, s.get("groups").size());
        JsonNode evbmf = group(s, "evbmf");
        assertEquals("weakening", evbmf.at("/variants/full/searched_value/name").asText());
        assertFalse(evbmf.at("/variants/full").has("vs_evbmf"), "EVBMF is the selectors' reference");
        // the ratio selector takes the same path (its search: SearchedSelectorTest; its cells: the dry run below)
        String sel = "energy";
        Path cell = sw.resolve("fashionnet-paramsx2-" + sel + "-s1");
        JsonNode summary = json(cell.resolve("summary.json"));
        String field = "energy_fraction";
        JsonNode full = group(s, sel).at("/variants/full");
        // the searched fraction, as the summary and the audit's target search record it
        double v = summary.at("/ablation/full/" + field).asDouble();
        assertTrue(v > 0 && v < 1, sel + " " + v);
        assertEquals(field, full.at("/searched_value/name").asText());
        assertEquals(v, full.at("/searched_value/mean").asDouble(), 0);
        assertEquals(sel, summary.at("/ablation/full/selector").asText());
        assertTrue(summary.at("/ablation/full/target_met").asBoolean());
        assertTrue(full.at("/params_ratio/mean").asDouble() >= 2 * 0.999, full.toString());
        boolean searchRecorded = false;
        for (String line : Files.readAllLines(cell.resolve("audit.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            if (r.path("step").asText().equals("target_search") && r.path("variant").asText().equals("full")) {
                assertEquals(sel, r.get("selector").asText());
                assertEquals(v, r.get(field).asDouble(), 0);
                searchRecorded = true;
            }
        }
        assertTrue(searchRecorded);
        // paired with the same variant under EVBMF, same seed and test images
        double mine = summary.at("/ablation/full/accuracy").asDouble();
        double theirs = json(sw.resolve("fashionnet-paramsx2-s1/summary.json")).at("/ablation/full/accuracy").asDouble();
        assertEquals(mine - theirs, full.at("/vs_evbmf/difference").asDouble(), 1e-12);
        assertEquals(1, full.at("/vs_evbmf/paired_seeds").size());
        // the penalty's share of the loss per epoch, from metrics.csv: full is regularized while it trains, plain not
        JsonNode share = evbmf.at("/variants/full/penalty_share/train");
        assertEquals(1, share.get("epochs").size());
        String row = Files.readAllLines(sw.resolve("fashionnet-paramsx2-s1/metrics.csv")).stream()
                .filter(l -> l.startsWith("full/train,")).findFirst().orElseThrow();
        String[] f = row.split(",", -1);
        double loss = Double.parseDouble(f[2]);
        double penalty = Double.parseDouble(f[8]);
        assertTrue(penalty > 0, row);
        assertEquals(penalty / (loss + penalty), share.at("/mean/0").asDouble(), 1e-15);
        assertFalse(evbmf.at("/variants/plain").has("penalty_share"));
        // ranks come from audit.jsonl now (an export has no progress.json): the same as progress.json records
        JsonNode progressLayers = json(sw.resolve("fashionnet-paramsx2-s1/progress.json")).at("/completed/full~1tucker/layers");
        JsonNode ranks = evbmf.at("/variants/full/ranks");
        assertEquals(progressLayers.size(), ranks.size());
        for (int i = 0; i < ranks.size(); i++) {
            assertEquals(progressLayers.get(i).get("name"), ranks.get(i).get("name"));
            assertEquals(progressLayers.get(i).get("decomposition"), ranks.get(i).get("decomposition"));
            assertEquals(progressLayers.get(i).get("r0"), ranks.get(i).get("r0"));
            assertEquals(progressLayers.get(i).get("r1"), ranks.get(i).get("r1"));
        }
        String html = Files.readString(sw.resolve("sweep.html"));
        assertTrue(html.contains("Rank selectors: fashionnet, target params:2") && html.contains("vs evbmf")
                && html.contains("penalty share"), "selector table and penalty share on the page");

        // export: the small files only, and --collect on the export gives the same sweep.json and page
        Path ex = dir.resolve("export");
        SweepCommandTest.Out e = SweepCommandTest.run("sweep", "--out", sw.toString(), "--collect", "--export", ex.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(Files.isRegularFile(ex.resolve("README.md")));
        String readme = Files.readString(ex.resolve("README.md"));
        assertTrue(readme.contains("--selectors evbmf,energy") && readme.contains("--out SWEEP"), readme);
        assertFalse(readme.contains(sw.toString()), "no machine path in the README");
        assertTrue(readme.contains("absolute path (on the machine that ran it) is written `SWEEP`"), readme);
        Path exCell = ex.resolve("fashionnet-paramsx2-energy-s1");
        // the sweep directory's path is written SWEEP in every copied text file, where the runs recorded it
        String abs = sw.toAbsolutePath().normalize().toString();
        assertTrue(Files.readString(cell.resolve("config.json")).contains(abs), "the reusing cell names its source");
        List<Path> copied;
        try (var walk = Files.walk(ex)) {
            copied = walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".npy")).toList();
        }
        assertTrue(copied.size() > 10, copied.toString());
        for (Path p : copied) {
            assertFalse(Files.readString(p).contains(abs), p + " names the sweep directory");
        }
        String source = "SWEEP/fashionnet-paramsx2-s1";
        assertEquals(source, json(exCell.resolve("config.json")).get("reuse_training").asText());
        assertEquals(source, json(exCell.resolve("summary.json")).at("/ablation/full/training_reused_from").asText());
        boolean reuseRecorded = false;
        for (String line : Files.readAllLines(exCell.resolve("audit.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            if (r.path("step").asText().equals("reuse_training")) {
                assertEquals(source, r.get("source").asText());
                reuseRecorded = true;
            }
        }
        assertTrue(reuseRecorded, "the audit's reuse record");
        for (String file : List.of("config.json", "summary.json", "audit.jsonl", "metrics.csv", "predictions/labels.npy",
                "predictions/full-eval.npy", "predictions/plain-eval.npy", "predictions/baseline-eval.npy")) {
            assertTrue(Files.isRegularFile(exCell.resolve(file)), file);
        }
        assertFalse(Files.exists(exCell.resolve("checkpoints")));
        assertFalse(Files.exists(exCell.resolve("progress.json")));
        assertFalse(Files.exists(exCell.resolve("predictions/full-eval_before.npy")));
        String exported = Files.readString(ex.resolve("sweep.json"));
        String exportedPage = Files.readString(ex.resolve("sweep.html"));
        assertEquals(Files.readString(sw.resolve("sweep.json")), exported);
        SweepCommandTest.Out again = SweepCommandTest.run("sweep", "--out", ex.toString(), "--collect");
        assertEquals(0, again.code(), again.err());
        assertEquals(exported, Files.readString(ex.resolve("sweep.json")), "recomputed from the exported files");
        assertEquals(exportedPage, Files.readString(ex.resolve("sweep.html")));

        // a sweep that recorded no command (made before commands.log) names the equivalent one
        Files.delete(sw.resolve("commands.log"));
        Path ex2 = dir.resolve("export2");
        assertEquals(0, SweepCommandTest.run("sweep", "--out", sw.toString(), "--collect", "--export", ex2.toString()).code());
        assertTrue(Files.readString(ex2.resolve("README.md")).contains("./rankfold sweep spec.json --out SWEEP"));
        assertFalse(Files.exists(ex2.resolve("commands.log")));

        // an unfinished cell (killed before its summary) is exported as such and collected as such
        Files.delete(sw.resolve("fashionnet-paramsx2-energy-s1/summary.json"));
        Path ex3 = dir.resolve("export3");
        assertEquals(0, SweepCommandTest.run("sweep", "--out", sw.toString(), "--collect", "--export", ex3.toString()).code());
        JsonNode partial = json(ex3.resolve("sweep.json"));
        assertEquals("started", partial.at("/cells/1/state").asText());
        assertEquals(1, partial.get("groups").size());
        assertTrue(Files.isRegularFile(ex3.resolve("fashionnet-paramsx2-energy-s1/progress.json")));
        assertFalse(Files.exists(ex3.resolve("fashionnet-paramsx2-energy-s1/audit.jsonl")));
        String partialJson = Files.readString(ex3.resolve("sweep.json"));
        assertEquals(0, SweepCommandTest.run("sweep", "--out", ex3.toString(), "--collect").code());
        assertEquals(partialJson, Files.readString(ex3.resolve("sweep.json")));

        // exporting again updates the export; an unrelated directory or --export without --collect is refused
        assertEquals(0, SweepCommandTest.run("sweep", "--out", sw.toString(), "--collect", "--export", ex.toString()).code());
        assertFalse(Files.exists(ex.resolve("fashionnet-paramsx2-energy-s1/summary.json")), "no stale files of a cell");
        assertEquals(partialJson, Files.readString(ex.resolve("sweep.json")));
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        SweepCommandTest.Out refused = SweepCommandTest.run("sweep", "--out", sw.toString(), "--collect", "--export", other.toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("not empty"), refused.err());
        SweepCommandTest.Out noCollect = SweepCommandTest.run("sweep", "--out", sw.toString(), "--export", ex.toString());
        assertEquals(2, noCollect.code());
        assertTrue(noCollect.err().contains("--export needs --collect"), noCollect.err());
    }

    @Test
    void selectorsAreCheckedAndASpecWithoutThemKeepsItsCellNames(@TempDir Path dir) throws IOException {
        SweepCommandTest.Out noTarget = SweepCommandTest.run("sweep", "--selectors", "evbmf,energy", "--out",
                dir.resolve("a").toString(), "--dry-run");
        assertEquals(2, noTarget.code());
        assertTrue(noTarget.err().contains("need a params:X or macs:X target"), noTarget.err());
        SweepCommandTest.Out unknown = SweepCommandTest.run("sweep", "--targets", "params:3", "--selectors", "svd",
                "--out", dir.resolve("b").toString(), "--dry-run");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("selector 'svd'"), unknown.err());
        // energy and ratio make cells only at params/macs targets
        SweepCommandTest.Out mixed = SweepCommandTest.run("sweep", "--targets", "evbmf,macs:4", "--selectors",
                "evbmf,energy,ratio", "--out", dir.resolve("c").toString(), "--dry-run");
        assertEquals(0, mixed.code(), mixed.err());
        assertEquals(4, mixed.out().strip().split("\n").length, mixed.out());
        assertTrue(mixed.out().contains("fashionnet-macsx4-energy-s1") && !mixed.out().contains("evbmf-energy"), mixed.out());
        assertTrue(mixed.out().contains("3 fashionnet-macsx4-ratio-s1 [not started]: rankfold compress"), mixed.out());
        assertTrue(mixed.out().contains("--target-macs-ratio 4 --selector ratio"), mixed.out());
        assertTrue(mixed.out().contains("--reuse-training " + dir.resolve("c").toAbsolutePath().resolve("fashionnet-evbmf-s1")),
                "every selector's cell reuses the first cell's training");
        // a spec.json as sweeps wrote it before selectors were an axis: EVBMF alone, the same cell names
        Path old = Files.createDirectories(dir.resolve("old"));
        Files.writeString(old.resolve("spec.json"), "{\"models\": [\"fashionnet\"], \"variants\": [\"plain\", \"full\"],"
                + " \"targets\": [\"evbmf\", \"params:3\"], \"seeds\": [1], \"lambdas\": [], \"expands\": [],"
                + " \"preset\": \"quick\", \"args\": [], \"threads\": 0, \"cpus\": 2, \"memory\": \"8G\", \"heap\": \"4g\"}");
        SweepCommandTest.Out d = SweepCommandTest.run("sweep", "--out", old.toString(), "--dry-run");
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().contains("0 fashionnet-evbmf-s1 [") && d.out().contains("1 fashionnet-paramsx3-s1 ["), d.out());
        assertFalse(d.out().contains("--selector"), d.out());
        // a new sweep without --selectors writes no selectors field, so its spec.json reads as before
        assertEquals(0, SweepCommandTest.run("sweep", "--targets", "params:3", "--out", dir.resolve("e").toString(),
                "--preset", "quick", "--dry-run").code());
    }

    @Test
    void compressChecksASearchedSelectorAgainstItsTarget(@TempDir Path dir) {
        SweepCommandTest.Out noTarget = SweepCommandTest.run("compress", "--selector", "energy", "--out",
                dir.resolve("a").toString());
        assertEquals(2, noTarget.code());
        assertTrue(noTarget.err().contains("needs --target-params-ratio or --target-macs-ratio"), noTarget.err());
        SweepCommandTest.Out valued = SweepCommandTest.run("compress", "--selector", "energy:0.9", "--target-params-ratio",
                "2", "--out", dir.resolve("b").toString());
        assertEquals(2, valued.code());
        assertTrue(valued.err().contains("give --selector evbmf, energy or ratio"), valued.err());
    }
}
