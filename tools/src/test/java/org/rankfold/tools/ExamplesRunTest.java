package org.rankfold.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example of every command's help, and every {@code ./rankfold} line of the README's bash blocks, run
 * verbatim through the real launcher in a folder that looks like the repository (testdata/ and datasets/
 * linked), after a quick stand-in for the README's main job has written {@code runs/fashionnet-quick} (the
 * same preset, cut by limits to a few seconds). Examples under a heading that says "not run by the tests"
 * (hours-long full-preset runs and sweeps, the user's own photos) are the only ones left out, and the test checks that
 * they are of that kind; so is {@code ./rankfold dist} of the README (it packages the build into release archives,
 * checked by scripts/test-offline.sh).
 */
class ExamplesRunTest {

    /** Commands in an order where each example finds what an earlier one wrote (export before import). */
    private static final List<String> ORDER = List.of("compress", "train", "eval", "decompose", "export", "import",
            "inspect", "predict", "vbmf", "ranks", "tucker", "bench gemm", "bench conv", "bench train", "bench infer",
            "bench", "devices", "report", "verify", "sweep");

    @Test
    void everyHelpExampleAndReadmeCommandRunsVerbatim(@TempDir Path work) throws Exception {
        Path root = LauncherTest.root();
        Files.createSymbolicLink(work.resolve("testdata"), root.resolve("testdata"));
        Files.createSymbolicLink(work.resolve("datasets"), root.resolve("datasets"));
        Files.createDirectories(work.resolve("logs"));
        LauncherTest.Run main = LauncherTest.launch(work, work.resolve("logs"), "compress", "--data", "sample",
                "--limit-train", "400", "--limit-test", "200", "--epochs", "1", "--finetune-epochs", "1", "--quiet",
                "--out", "runs/fashionnet-quick");
        assertEquals(0, main.code(), main.err());

        Set<String> run = new LinkedHashSet<>();
        List<String> skipped = new ArrayList<>();
        CommandLine cli = new CommandLine(new Main());
        for (String name : ORDER) {
            CommandLine c = cli;
            for (String part : name.split(" ")) {
                c = c.getSubcommands().get(part);
            }
            assertTrue(c != null, name);
            collect(c.getCommandSpec().usageMessage().footer(), run, skipped);
        }
        for (CommandLine c : cli.getSubcommands().values()) {
            assertTrue(c.getCommandName().equals("help") || ORDER.contains(c.getCommandName()), "every command's examples are run: " + c.getCommandName());
        }
        List<String> readme = readmeCommands(root.resolve("README.md"));
        assertFalse(readme.isEmpty());
        run.addAll(readme);

        for (String example : run) {
            assertFalse(example.contains("\"") || example.contains("'") || example.contains("\\"), example);
            String[] args = example.substring("./rankfold ".length()).trim().split(" +");
            LauncherTest.Run r = LauncherTest.launch(work, work.resolve("logs"), args);
            assertEquals(0, r.code(), example + "\nstderr: " + r.err() + "\nstdout: " + tail(r.out()));
        }
        assertTrue(run.size() >= 25, "examples run: " + run.size());
        for (String s : skipped) {
            assertTrue(s.contains("--preset full") || s.contains("--data fashion-mnist") || s.contains(".png")
                            || s.startsWith("./rankfold sweep "),
                    "only long runs and the user's own files are left out: " + s);
        }
    }

    /** The examples of a footer: indented ./rankfold lines, except under a heading "... not run by the tests ...". */
    private static void collect(String[] footer, Set<String> run, List<String> skipped) {
        boolean skipping = false;
        for (String line : footer) {
            if (line.startsWith("  ./rankfold ")) {
                (skipping ? skipped : run).add(line.strip());
            } else if (!line.isBlank() && !line.startsWith(" ")) {
                skipping = line.contains("not run by the tests");
            }
        }
    }

    /** The ./rankfold lines of the README's ```bash blocks (comments cut), less the main job itself. */
    static List<String> readmeCommands(Path readme) throws IOException {
        List<String> out = new ArrayList<>();
        boolean inBash = false;
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.startsWith("```")) {
                inBash = !inBash && t.equals("```bash");
                continue;
            }
            // 'dist' packages the build into release archives (a launcher command, checked by scripts/test-offline.sh).
            if (inBash && t.startsWith("./rankfold ") && !t.contains("# the main job") && !t.startsWith("./rankfold dist ")) {
                int hash = t.indexOf(" #");
                out.add(hash < 0 ? t : t.substring(0, hash).strip());
            }
        }
        return out;
    }

    private static String tail(String s) {
        return s.length() <= 2000 ? s : s.substring(s.length() - 2000);
    }
}
