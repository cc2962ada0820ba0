package org.rankfold.tools.library;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.train.TrainingState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "Use it as a Java library" example: the same code as {@link LibraryExample}, and it runs. */
class LibraryExampleTest {

    private static Path source() {
        Path p = Path.of("src/test/java/org/rankfold/tools/library/LibraryExample.java");
        return Files.exists(p) ? p : Path.of("tools").resolve(p);
    }

    @Test
    void theReadmeShowsThisFileFromItsImports() throws Exception {
        String file = Files.readString(source(), StandardCharsets.UTF_8);
        String code = file.substring(file.indexOf("import "));
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("README.md")) || !Files.isRegularFile(root.resolve("rankfold"))) {
            root = root.getParent();
        }
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("## Use it as a Java library");
        assertTrue(section >= 0, "README has the section");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        int end = readme.indexOf("```", start);
        assertEquals(code, readme.substring(start, end), "the README's example is LibraryExample.java from its imports");
    }

    @Test
    void itLoadsPredictsAndDecomposes(@TempDir Path dir) throws Exception {
        InputShape in = new InputShape(1, 28, 28, 10);
        Module m = in.createZooModel("fashionnet", 7);
        Path ck = dir.resolve("model");
        CheckpointWriter.save(ck, m, "fashionnet", in, TrainingState.initial(), null, null, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            LibraryExample.main(new String[] {ck.toString()});
        } finally {
            System.setOut(old);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("logits ["), out);
        assertEquals(10, out.lines().findFirst().orElseThrow().split(",").length, "ten logits: " + out);
        assertTrue(out.contains("decomposed ") && out.contains("x fewer params"), out);
    }
}
