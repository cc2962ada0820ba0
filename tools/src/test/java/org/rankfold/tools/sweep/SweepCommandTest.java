package org.rankfold.tools.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.Main;

/** `rankfold sweep` run here: a 2 x 2 grid of tiny compress runs, two at a time, resumed, collected. */
class SweepCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Tiny cells: the bundled sample, 1 epoch on 120 images (12 held out), 60 test images. */
    static final String TINY = "--compress-args=--epochs 1 --finetune-epochs 1 --limit-train 120 --limit-test 60 --batch 36";

    record Out(int code, String out, String err) {
    }

    static Out run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
        return new Out(code, o.toString(), e.toString());
    }

    private static String[] grid(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("sweep", "--models", "fashionnet", "--variants", "plain,full", "--targets",
                "evbmf,params:2", "--seeds", "1,2", "--preset", "quick", "--data", "sample", TINY, "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void runsTheGridTwoAtATimeResumesAndCollectsPairedStatistics(@TempDir Path dir) throws Exception {
        Path sw = dir.resolve("sw");
        Out dry = run(grid(sw, "--dry-run", "--jobs", "2"));
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("fashionnet-paramsx2-s1 [not started]"), dry.out());
        assertTrue(dry.out().contains("--reuse-training " + sw.toAbsolutePath().resolve("fashionnet-evbmf-s1")), dry.out());
        assertTrue(dry.out().contains("--target-params-ratio 2"), dry.out());

        Out first = run(grid(sw, "--jobs", "2"));
        assertEquals(0, first.code(), first.out() + first.err());
        JsonNode s = JSON.readTree(sw.resolve("sweep.json").toFile());
        assertEquals(4, s.get("cells").size());
        for (JsonNode c : s.get("cells")) {
            assertEquals("complete", c.get("state").asText(), c.toString());
        }
        // the second target's cells start from the first target's trained models
        assertTrue(JSON.readTree(sw.resolve("fashionnet-paramsx2-s2/config.json").toFile()).get("reuse_training").asText()
                .endsWith("fashionnet-evbmf-s2"));
        assertEquals(2, s.get("groups").size());
        JsonNode g = s.get("groups").get(1);
        assertEquals("params:2", g.get("target").asText());
        assertEquals(List.of(1L, 2L), List.of(g.at("/seeds/0").asLong(), g.at("/seeds/1").asLong()));
        JsonNode full = g.at("/variants/full");
        double a1 = JSON.readTree(sw.resolve("fashionnet-paramsx2-s1/summary.json").toFile()).at("/ablation/full/accuracy").asDouble();
        double a2 = JSON.readTree(sw.resolve("fashionnet-paramsx2-s2/summary.json").toFile()).at("/ablation/full/accuracy").asDouble();
        assertEquals((a1 + a2) / 2, full.at("/accuracy/mean").asDouble(), 1e-12);
        assertEquals(Math.abs(a1 - a2) / Math.sqrt(2), full.at("/accuracy/std").asDouble(), 1e-12);
        JsonNode vs = full.get("vs_plain");
        double p1 = JSON.readTree(sw.resolve("fashionnet-paramsx2-s1/summary.json").toFile()).at("/ablation/plain/accuracy").asDouble();
        double p2 = JSON.readTree(sw.resolve("fashionnet-paramsx2-s2/summary.json").toFile()).at("/ablation/plain/accuracy").asDouble();
        assertEquals((a1 - p1 + a2 - p2) / 2, vs.get("difference").asDouble(), 1e-12, "paired difference from the predictions");
        assertTrue(vs.get("ci95_low").asDouble() <= vs.get("difference").asDouble()
                && vs.get("difference").asDouble() <= vs.get("ci95_high").asDouble(), vs.toString());
        assertEquals(60, vs.get("images").asInt(), "60 test images per seed");
        assertTrue(full.has("vs_baseline_matched"), full.toString());
        // the validation accuracy of the last fine-tuning epoch, for choices between cells
        assertEquals(2, full.at("/validation_accuracy/values").size(), full.toString());
        assertTrue(full.get("ranks").size() > 0);
        assertTrue(full.at("/params_ratio/mean").asDouble() >= 2 * 0.999, full.toString());
        // the page is one well-formed document with the accuracy-vs-MACs chart
        String html = Files.readString(sw.resolve("sweep.html"));
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(sw.resolve("sweep.html").toFile());
        assertTrue(html.contains("data-kind=\"accuracy-vs-macs\""));
        assertFalse(html.contains("<script"));

        // a cell that lost its summary (killed at the very end) resumes, and so does one killed before its first phase
        // completed (config.json but no progress.json yet); complete cells are skipped
        String before = Files.readString(sw.resolve("fashionnet-evbmf-s1/summary.json"));
        Files.delete(sw.resolve("fashionnet-evbmf-s1/summary.json"));
        String beforeEarly = Files.readString(sw.resolve("fashionnet-paramsx2-s2/summary.json"));
        Files.delete(sw.resolve("fashionnet-paramsx2-s2/summary.json"));
        Files.delete(sw.resolve("fashionnet-paramsx2-s2/progress.json"));
        Out again = run(grid(sw, "--jobs", "2"));
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("fashionnet-evbmf-s2 complete, skipped"), again.out());
        assertTrue(Files.readString(sw.resolve("logs/fashionnet-evbmf-s1.log")).contains("--resume"));
        JsonNode b = JSON.readTree(before);
        JsonNode r = JSON.readTree(sw.resolve("fashionnet-evbmf-s1/summary.json").toFile());
        assertEquals(b.at("/ablation/full/accuracy"), r.at("/ablation/full/accuracy"));
        assertEquals(b.at("/baseline_matched/accuracy"), r.at("/baseline_matched/accuracy"));
        assertTrue(Files.readString(sw.resolve("logs/fashionnet-paramsx2-s2.log")).contains("--resume"));
        JsonNode early = JSON.readTree(beforeEarly);
        JsonNode rerun = JSON.readTree(sw.resolve("fashionnet-paramsx2-s2/summary.json").toFile());
        assertEquals(early.at("/ablation/full/accuracy"), rerun.at("/ablation/full/accuracy"));
        assertEquals(early.at("/ablation/plain/accuracy"), rerun.at("/ablation/plain/accuracy"));

        // --collect alone reads spec.json; the same result again (the bootstrap is seeded)
        String collected = Files.readString(sw.resolve("sweep.json"));
        Out c = run("sweep", "--out", sw.toString(), "--collect");
        assertEquals(0, c.code(), c.err());
        assertEquals(collected, Files.readString(sw.resolve("sweep.json")));

        // another grid in the same directory is refused
        Out other = run("sweep", "--models", "fashionnet", "--variants", "plain", "--seeds", "3", "--out", sw.toString());
        assertEquals(2, other.code());
        assertTrue(other.err().contains("spec.json holds another spec"), other.err());
        // so is one that would give a cell another training source (evbmf would reuse params:2's models)
        Out reordered = run(withTargets(sw, "params:2,evbmf"));
        assertEquals(2, reordered.code());
        assertTrue(reordered.err().contains("may only widen its grid"), reordered.err());

        // a wider grid is accepted: spec.json becomes it, the cells run before are skipped, and the new target's
        // cells start from the trained models already there
        Out wider = run(withTargets(sw, "evbmf,params:2,params:3"));
        assertEquals(0, wider.code(), wider.out() + wider.err());
        assertTrue(wider.out().contains("fashionnet-paramsx2-s1 complete, skipped"), wider.out());
        assertEquals(3, JSON.readTree(sw.resolve("spec.json").toFile()).get("targets").size());
        assertTrue(JSON.readTree(sw.resolve("fashionnet-paramsx3-s1/config.json").toFile()).get("reuse_training")
                .asText().endsWith("fashionnet-evbmf-s1"));
        assertEquals(6, JSON.readTree(sw.resolve("sweep.json").toFile()).get("cells").size());
        // each command's workers read that command's own copy of the spec, whose grid numbers their cells
        try (var logs = Files.list(sw.resolve("logs"))) {
            assertEquals(2, logs.filter(f -> f.getFileName().toString().matches("spec-[0-9a-f]{12}\\.json")).count());
        }
        // the earlier, narrower command still names its own cells, all complete
        Out narrow = run(grid(sw, "--dry-run"));
        assertEquals(0, narrow.code(), narrow.err());
        assertEquals(4, narrow.out().lines().filter(l -> l.contains("[complete]")).count(), narrow.out());
    }

    private static String[] withTargets(Path out, String targets) {
        String[] a = grid(out);
        a[List.of(a).indexOf("--targets") + 1] = targets;
        return a;
    }

    @Test
    void specFilesAreCheckedFieldByField(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("s.json");
        Files.writeString(spec, "{\"models\": [\"fashionnet\"], \"targets\": [\"params:0.5\"]}");
        Out bad = run("sweep", spec.toString(), "--out", dir.resolve("a").toString(), "--dry-run");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("s.json") && bad.err().contains("params:0.5"), bad.err());
        Files.writeString(spec, "{\"modles\": [\"fashionnet\"]}");
        Out typo = run("sweep", spec.toString(), "--out", dir.resolve("b").toString(), "--dry-run");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("unknown field 'modles'"), typo.err());
        Files.writeString(spec, "{\"variants\": [\"full\"]}");
        Out noPlain = run("sweep", spec.toString(), "--out", dir.resolve("c").toString(), "--dry-run");
        assertEquals(2, noPlain.code());
        assertTrue(noPlain.err().contains("must include plain"), noPlain.err());
        Files.writeString(spec, "{\"seeds\": [1, 2], \"lambdas\": [0.001, 0.1], \"expands\": [2], \"targets\": [\"evbmf\", \"macs:4\"]}");
        Out ok = run("sweep", spec.toString(), "--out", dir.resolve("d").toString(), "--dry-run");
        assertEquals(0, ok.code(), ok.err());
        // 2 seeds x 2 lambdas x 1 expansion x 2 targets
        assertEquals(8, ok.out().strip().split("\n").length, ok.out());
        assertTrue(ok.out().contains("fashionnet-macsx4-s2-l0.1-e2 [not started]: rankfold compress"), ok.out());
        assertTrue(ok.out().contains("--ortho-lambda 0.001"), ok.out());
        assertTrue(ok.out().contains("--overparam expand --expand 2.0"), ok.out());
    }

    @Test
    void sharedOptionsAreCheckedBeforeAnythingIsWritten(@TempDir Path dir) throws IOException {
        Out help = run("sweep", "--help");
        for (String o : List.of("--threads=T", "--data=DATA", "--json", "--quiet", "Default: 1", "Default: local", "Default: 0")) {
            assertTrue(help.out().contains(o), o + " in:\n" + help.out());
        }
        Path sw = dir.resolve("sw");
        for (String[] bad : List.of(new String[] {"--jobs", "0", "--jobs must be between 1 and 64"},
                new String[] {"--executor", "slrum", "did you mean slurm?"}, new String[] {"--preset", "quik", "preset must be quick"},
                new String[] {"--models", "resnet2O", "unknown model 'resnet2O'"}, new String[] {"--threads", "-1", "--threads must be"},
                new String[] {"--thread", "2", "did you mean --threads?"})) {
            Out r = run("sweep", "--out", sw.toString(), "--seeds", "1", bad[0], bad[1]);
            assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(bad[2]), r.err());
            assertFalse(Files.exists(sw.resolve("spec.json")), "nothing written for " + bad[0]);
        }
    }

    @Test
    void anArchitectureFileIsAModelOfTheGrid(@TempDir Path dir) throws IOException {
        org.rankfold.engine.checkpoint.InputShape in = new org.rankfold.engine.checkpoint.InputShape(1, 28, 28, 10);
        Path ck = dir.resolve("ck");
        org.rankfold.engine.checkpoint.CheckpointWriter.save(ck, in.createZooModel("lenet5", 1), "lenet5", in,
                org.rankfold.engine.train.TrainingState.initial(), null, null, null);
        Path file = dir.resolve("my-net.json");
        Files.copy(ck.resolve("model.json"), file);
        Out dry = run("sweep", "--models", "fashionnet," + file, "--variants", "plain,full", "--preset", "quick", "--data", "sample",
                "--threads", "1", "--out", dir.resolve("sw").toString(), "--dry-run", "--json");
        assertEquals(0, dry.code(), dry.err());
        JsonNode cells = JSON.readTree(dry.out()).get("cells");
        assertEquals(2, cells.size());
        JsonNode mine = cells.get(1);
        assertEquals("my-net-evbmf-s1", mine.get("name").asText());
        List<String> cmd = new ArrayList<>();
        mine.get("command").forEach(a -> cmd.add(a.asText()));
        assertEquals(file.toAbsolutePath().toString(), cmd.get(cmd.indexOf("--model") + 1), cmd.toString());
        assertEquals("1", cmd.get(cmd.indexOf("--threads") + 1), cmd.toString());
        assertEquals("sample", cmd.get(cmd.indexOf("--data") + 1), cmd.toString());

        Files.writeString(file, "{}");
        Out bad = run("sweep", "--models", file.toString(), "--out", dir.resolve("sw2").toString(), "--dry-run");
        assertEquals(2, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().contains(file.toString()), bad.err());
    }
}
