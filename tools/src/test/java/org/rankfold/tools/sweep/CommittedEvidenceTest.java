package org.rankfold.tools.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankfold.vbmf.pipeline.RunDirectory;

/**
 * Every number of docs/compression-evidence.md comes from a committed sweep export (docs/evidence/NAME). Each is
 * collected again from its run files, in a copy, and must give the committed {@code sweep.json}: the committed
 * statistics are what the code computes from the committed files, not numbers edited by hand or left over from an
 * older collector.
 */
class CommittedEvidenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> sweeps() throws IOException {
        String p = System.getProperty("rankfold.evidence.dir");
        assertTrue(p != null && !p.isBlank(), "evidence location not set (-Drankfold.evidence.dir)");
        Path dir = Path.of(p);
        assertTrue(Files.isDirectory(dir), "evidence directory not found: " + dir);
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(d -> Files.isRegularFile(d.resolve("spec.json"))).sorted().toList();
            assertFalse(found.isEmpty(), "no sweep exports in " + dir);
            return found;
        }
    }

    @ParameterizedTest
    @MethodSource("sweeps")
    void collectingTheExportedFilesAgainGivesTheCommittedSweepJson(Path committed, @TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve(committed.getFileName().toString());
        RunDirectory.copyTree(committed, copy);
        SweepCommandTest.Out r = SweepCommandTest.run("sweep", "--out", copy.toString(), "--collect");
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode expected = JSON.readTree(committed.resolve("sweep.json").toFile());
        JsonNode actual = JSON.readTree(copy.resolve("sweep.json").toFile());
        assertTrue(expected.get("groups").size() > 0, "no groups in " + committed);
        assertEquals(expected, actual, committed + ": sweep.json differs from what its files collect to");
    }
}
