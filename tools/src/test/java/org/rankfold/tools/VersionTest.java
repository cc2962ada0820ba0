package org.rankfold.tools;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `rankfold --version`: the stamped version and commit (build.properties, filtered by Maven) and the Java used. */
class VersionTest {

    @Test
    void versionNamesTheBuildItsCommitAndTheJavaItRunsOn() {
        CliRun.Result r = CliRun.run("--version");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        assertTrue(lines[0].matches("rankfold \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit [0-9a-z-]+\\)"), "stamped by the build: " + lines[0]);
        assertTrue(lines[1].endsWith(" at " + System.getProperty("java.home")), lines[1]);
    }
}
