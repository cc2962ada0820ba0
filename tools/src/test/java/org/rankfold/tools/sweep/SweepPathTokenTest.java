package org.rankfold.tools.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep directory's path written SWEEP in exported text: whole occurrences only, plain and JSON-escaped. */
class SweepPathTokenTest {
    private static final Path SWEEP = Path.of("/runs/sw");

    private static String replaced(Path sweep, String text) {
        return SweepPathToken.of(sweep).replace(text);
    }

    @Test
    void wholeOccurrencesBecomeTheTokenWhereverTheyStand() {
        assertEquals("{\"reuse_training\": \"SWEEP/cell-s1\"}", replaced(SWEEP, "{\"reuse_training\": \"/runs/sw/cell-s1\"}"));
        assertEquals("\"SWEEP\"", replaced(SWEEP, "\"/runs/sw\""));
        assertEquals("sweep --out SWEEP --collect", replaced(SWEEP, "sweep --out /runs/sw --collect"));
        assertEquals("--out=SWEEP\n", replaced(SWEEP, "--out=/runs/sw\n"));
        assertEquals("'SWEEP/a b'", replaced(SWEEP, "'/runs/sw/a b'"));
        assertEquals("SWEEP", replaced(SWEEP, "/runs/sw"));
        assertEquals("SWEEP/a SWEEP/b", replaced(SWEEP, "/runs/sw/a /runs/sw/b"));
        // a trailing separator in the given path is normalized away
        assertEquals("SWEEP/x", replaced(Path.of("/runs/sw/"), "/runs/sw/x"));
    }

    @Test
    void aPrefixOfAnotherDirectoryOrTheTailOfALongerPathIsLeftAlone() {
        for (String other : new String[] {"/runs/sw2/cell", "/runs/sw.old", "/runs/sw-b", "/data/runs/sw/cell",
                "x/runs/sw", "/runs/swé"}) {
            assertEquals(other, replaced(SWEEP, other));
        }
        assertEquals("/runs/sw2 SWEEP", replaced(SWEEP, "/runs/sw2 /runs/sw"));
    }

    @Test
    void aPathThatJsonEscapesIsFoundAsJsonWroteIt() throws Exception {
        Path odd = Path.of("/runs/say \"hi\"\tsw");
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("reuse_training", odd.resolve("cell-s1").toString());
        o.put("note", "copied from \"" + odd + "\"");
        String json = new ObjectMapper().writeValueAsString(o);
        assertEquals("{\"reuse_training\":\"SWEEP/cell-s1\",\"note\":\"copied from \\\"SWEEP\\\"\"}", replaced(odd, json));
        // and as written outside JSON (a command line)
        assertEquals("--out 'SWEEP'", replaced(odd, "--out '" + odd + "'"));
        assertEquals("/runs/say \\\"hi\\\"\\tsw2", replaced(odd, SweepPathToken.jsonEscaped(odd + "2")));
    }

    @Test
    void textWithoutThePathIsCopiedByteForByteNonUtf8Included() {
        byte[] bytes = {'a', (byte) 0xff, (byte) 0xc3, '\n', '/', 'r'};
        assertArrayEquals(bytes, SweepPathToken.of(SWEEP).replace(bytes));
        byte[] withPath = "é /runs/sw/x \u00ff".getBytes(StandardCharsets.UTF_8);
        assertEquals("é SWEEP/x \u00ff", new String(SweepPathToken.of(SWEEP).replace(withPath), StandardCharsets.UTF_8));
    }

    @Test
    void theRealPathOfALinkedDirectoryIsReplacedToo(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectories(dir.resolve("real-sweep"));
        Path link = Files.createSymbolicLink(dir.resolve("sweep-link"), real);
        String text = "{\"a\": \"" + link + "/c\", \"b\": \"" + real.toRealPath() + "/c\"}";
        assertEquals("{\"a\": \"SWEEP/c\", \"b\": \"SWEEP/c\"}", replaced(link, text));
    }
}
