package org.rankfold.tools.options;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.Main;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared options: one name, meaning and check in every command; defaults in every help; "did you mean". */
class SharedOptionsTest {

    record Result(int code, String out, String err) {
        /** Exit 2, one line on stderr starting with {@code prefix} and holding every fragment. */
        void refused(String prefix, String... fragments) {
            assertEquals(2, code, "exit code; stderr: " + err);
            assertEquals(1, err.strip().lines().count(), "one line: " + err);
            assertTrue(err.startsWith(prefix + ": "), "prefix '" + prefix + ": ' in: " + err);
            for (String f : fragments) {
                assertTrue(err.contains(f), "'" + f + "' in: " + err);
            }
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** Every command of the tree, with its full name. */
    private static List<CommandLine> commands() {
        List<CommandLine> all = new ArrayList<>();
        StringWriter sink = new StringWriter();
        // Main.run configures help rendering on its own CommandLine; the model is the same for a fresh one.
        collect(new CommandLine(new Main()), all);
        return all;
    }

    private static void collect(CommandLine cl, List<CommandLine> all) {
        all.add(cl);
        cl.getSubcommands().values().forEach(c -> collect(c, all));
    }

    @Test
    void mistypedCommandsAndOptionsGetASuggestion() {
        run("trian").refused("rankfold", "unknown command 'trian'", "did you mean 'train'?");
        run("train", "--epoch", "3").refused("rankfold train", "unknown option --epoch", "did you mean --epochs?");
        run("compress", "--finetune-epoch=2").refused("rankfold compress", "did you mean --finetune-epochs?");
        run("bench", "gemn").refused("rankfold bench");
        run("train", "--model", "lenet", "--out", "never-created").refused("rankfold train", "unknown model 'lenet'",
                "did you mean lenet5?");
        run("compress", "--model", "resnet2O", "--out", "never-created").refused("rankfold compress", "did you mean resnet20?");
        assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of("never-created")));
        run("xyzzy-nothing-like-it").refused("rankfold", "unknown command 'xyzzy-nothing-like-it'");
        assertFalse(run("xyzzy-nothing-like-it").err.contains("did you mean"));
    }

    @Test
    void editDistanceCountsTranspositionsOnce() {
        assertEquals(1, Suggestions.distance("trian", "train"));
        assertEquals(1, Suggestions.distance("--epoch", "--epochs"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
        assertEquals(0, Suggestions.distance("", ""));
        assertEquals("train", Suggestions.closest("trian", List.of("train", "eval", "report")).orElseThrow());
        assertTrue(Suggestions.closest("zzzzzz", List.of("train", "eval")).isEmpty());
    }

    @Test
    void badValuesFailBeforeARunDirectoryIsCreated(@TempDir Path dir) {
        Path run = dir.resolve("run");
        run("train", "--epochs", "0", "--out", run.toString()).refused("rankfold train", "--epochs must be >= 1, got 0");
        assertFalse(Files.exists(run), "no run directory for a refused command");
        run("compress", "--epochs", "0", "--out", run.toString()).refused("rankfold compress", "--epochs must be >= 1");
        assertFalse(Files.exists(run));
        run("train", "--threads", "-1", "--out", run.toString()).refused("rankfold train", "--threads must be between 1 and");
        run("train", "--limit-train", "-5", "--out", run.toString()).refused("rankfold train", "--limit-train must be >= 0");
        run("decompose", "x", "--finetune-lr", "0").refused("rankfold decompose", "--finetune-lr must be a finite number > 0");
        run("compress", "--resume", dir.resolve("a").toString(), "--out", dir.resolve("b").toString())
                .refused("rankfold compress", "name different runs");
        assertFalse(Files.exists(run));
    }

    /**
     * A compress run's config.json gives back its data set and, for a run on an architecture file, the run's copy
     * of it; a checkpoint's state.json its own model.json. The recorded name may not lead out of the directory.
     */
    @Test
    void configOfAnArchitectureRunGivesItsCopyAndItsData(@TempDir Path dir) throws Exception {
        CommandLine.Model.CommandSpec compress = new CommandLine(new Main()).getSubcommands().get("compress").getCommandSpec();
        Path cfg = dir.resolve("config.json");
        Files.writeString(cfg, "{\"model\": \"my-net\", \"architecture\": \"architecture.json\", \"architecture_sha256\": \"00\","
                + " \"seed\": 4, \"data\": {\"dataset\": \"fashion-mnist sample (bundled)\", \"train_images\": 90}}");
        ConfigDefaults d = ConfigDefaults.read(cfg, compress);
        assertEquals(dir.toAbsolutePath().resolve("architecture.json").toString(), d.defaultValue(compress.findOption("--model")));
        assertEquals("sample", d.defaultValue(compress.findOption("--data")));
        assertEquals("4", d.defaultValue(compress.findOption("--seed")));

        Path ck = Files.createDirectories(dir.resolve("checkpoints/baseline"));
        Files.writeString(ck.resolve("model.json"), "{}");
        Files.writeString(ck.resolve("state.json"), "{\"config\": {\"model\": \"my-net\", \"architecture\": \"architecture.json\"}}");
        assertEquals(ck.toAbsolutePath().resolve("model.json").toString(),
                ConfigDefaults.read(ck.resolve("state.json"), compress).defaultValue(compress.findOption("--model")));

        // the source of reused training: a run directory, or informational where an export wrote SWEEP for the sweep
        Path source = dir.toAbsolutePath().resolve("sw/cell-s1");
        Files.writeString(cfg, "{\"model\": \"fashionnet\", \"reuse_training\": \"" + source + "\"}");
        assertEquals(source.toString(), ConfigDefaults.read(cfg, compress).defaultValue(compress.findOption("--reuse-training")));
        Files.writeString(cfg, "{\"model\": \"fashionnet\", \"reuse_training\": \"SWEEP/cell-s1\"}");
        ConfigDefaults exported = ConfigDefaults.read(cfg, compress);
        assertEquals(null, exported.defaultValue(compress.findOption("--reuse-training")));
        assertEquals("fashionnet", exported.defaultValue(compress.findOption("--model")));

        Files.writeString(cfg, "{\"model\": \"x\", \"architecture\": \"../../etc/x.json\"}");
        run("compress", "--config", cfg.toString()).refused("rankfold compress", "'architecture' must be a file name in the run directory");
    }

    @Test
    void configFileGivesDefaultsThatFlagsOverride(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("config.json");
        Path run = dir.resolve("run");
        // A saved config's value is used (and checked like a flag) ...
        Files.writeString(cfg, "{\"command\": \"train\", \"epochs\": 0, \"batch_size\": 64, \"max_rank\": 2147483647}");
        run("train", "--config", cfg.toString(), "--out", run.toString()).refused("rankfold train", "--epochs must be >= 1, got 0");
        // ... and a flag wins over it.
        Files.writeString(cfg, "{\"config\": {\"epochs\": 3, \"limit_train\": 7}}");
        run("train", "--config", cfg.toString(), "--epochs", "0", "--out", run.toString()).refused("rankfold train", "got 0");
        run("compress", "--config", cfg.toString(), "--limit-train", "-1").refused("rankfold compress", "--limit-train must be >= 0", "got -1");
        Files.writeString(cfg, "{\"config\": {\"limit_train\": -4}}");
        run("compress", "--config", cfg.toString()).refused("rankfold compress", "--limit-train must be >= 0", "got -4");
        Files.writeString(cfg, "[1, 2]");
        run("train", "--config", cfg.toString()).refused("rankfold train", "--config " + cfg, "expected a JSON object");
        run("train", "--config", dir.resolve("none.json").toString()).refused("rankfold train", "no such file");
        assertFalse(Files.exists(run));
    }

    @Test
    void moreThreadsThanCoresWarnsAndStillRuns(@TempDir Path dir) {
        int cores = Runtime.getRuntime().availableProcessors();
        Result r = run("eval", dir.resolve("missing").toString(), "--threads", Integer.toString(cores + 1));
        assertEquals(2, r.code);
        List<String> lines = r.err.strip().lines().toList();
        assertEquals(2, lines.size(), r.err);
        assertEquals("rankfold eval: warning: --threads " + (cores + 1) + " is more than the " + cores
                + " available cores; the extra threads only take turns", lines.get(0));
        assertTrue(lines.get(1).startsWith("rankfold eval: "), lines.get(1));
    }

    @Test
    void errorsOfSubcommandsNameTheirFullCommand() {
        Result r = run("bench", "infer", "--checkpoint", "no-such-checkpoint-dir");
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.startsWith("rankfold bench infer: "), r.err);
    }

    /** A shared option has the same description (name, meaning, default) in every command that takes it. */
    @Test
    void sharedOptionsMeanTheSameEverywhere() {
        List<String> shared = List.of("--threads", "--device", "--data", "--json", "--quiet", "--overwrite", "--resume",
                "--limit-train", "--epochs", "--finetune-epochs", "--finetune-lr");
        Map<String, String> seen = new HashMap<>();
        Map<String, String> where = new HashMap<>();
        for (String cmd : List.of("train", "compress", "decompose", "eval", "predict", "export", "import", "inspect",
                "report", "ranks", "tucker", "vbmf", "devices", "verify", "sweep", "bench gemm", "bench conv", "bench train",
                "bench infer")) {
            CommandLine cl = new CommandLine(new Main());
            for (String part : cmd.split(" ")) {
                cl = cl.getSubcommands().get(part);
            }
            for (String name : shared) {
                OptionSpec o = cl.getCommandSpec().findOption(name);
                if (o == null) {
                    continue;
                }
                String meaning = String.join(" ", o.description()) + " | default " + o.defaultValue() + " | "
                        + o.paramLabel();
                String before = seen.putIfAbsent(name, meaning);
                where.putIfAbsent(name, cmd);
                assertTrue(before == null || before.equals(meaning), name + " differs between " + where.get(name)
                        + " and " + cmd + ":\n" + before + "\n" + meaning);
            }
        }
        for (String cmd : List.of("train", "compress", "decompose")) {
            for (String name : List.of("--threads", "--device", "--data", "--quiet", "--json", "--limit-train")) {
                assertTrue(new CommandLine(new Main()).getSubcommands().get(cmd).getCommandSpec().findOption(name) != null,
                        cmd + " takes " + name);
            }
        }
    }

    /** Every option with a default shows it, no ${...} is left unexpanded, and examples are never wrapped. */
    @Test
    void everyHelpShowsDefaultsAndUnwrappedExamples() {
        for (CommandLine cl : commands()) {
            String name = cl.getCommandSpec().qualifiedName(" ");
            String[] args = (name.equals("rankfold") ? "--help" : name.substring("rankfold ".length()) + " --help").split(" ");
            Result r = run(args);
            assertEquals(0, r.code, name + ": " + r.err);
            assertEquals("", r.err, name);
            assertFalse(r.out.contains("${"), name + ":\n" + r.out);
            for (OptionSpec o : cl.getCommandSpec().options()) {
                if (o.defaultValue() != null && !o.usageHelp() && !o.versionHelp() && o.arity().max() > 0) {
                    assertTrue(r.out.contains("Default: " + o.defaultValue()), name + " " + o.longestName()
                            + " shows its default " + o.defaultValue() + ":\n" + r.out);
                }
            }
            for (String line : cl.getCommandSpec().usageMessage().footer()) {
                assertTrue(r.out.contains(line + System.lineSeparator()), name + ": footer line printed whole: " + line);
            }
        }
    }

    /**
     * One source of truth: a command reads a shared option from its mixin when it needs it, and keeps no field of its
     * own under the name of the mixin's value (a copy made after parsing that could disagree with it).
     */
    @Test
    void noCommandCopiesAMixinValueIntoAFieldOfItsOwn() {
        for (CommandLine cl : commands()) {
            Class<?> type = cl.getCommand().getClass();
            java.util.Set<String> values = new java.util.HashSet<>();
            for (java.lang.reflect.Field f : type.getDeclaredFields()) {
                if (f.isAnnotationPresent(picocli.CommandLine.Mixin.class)) {
                    for (java.lang.reflect.Method m : f.getType().getDeclaredMethods()) {
                        if (java.lang.reflect.Modifier.isPublic(m.getModifiers()) && m.getParameterCount() == 0) {
                            values.add(m.getName());
                        }
                    }
                }
            }
            for (java.lang.reflect.Field f : type.getDeclaredFields()) {
                boolean option = f.isAnnotationPresent(picocli.CommandLine.Option.class)
                        || f.isAnnotationPresent(picocli.CommandLine.Parameters.class)
                        || f.isAnnotationPresent(picocli.CommandLine.Mixin.class);
                assertFalse(!option && values.contains(f.getName()), type.getSimpleName() + "." + f.getName()
                        + " copies a value its mixin holds");
            }
        }
    }
}
