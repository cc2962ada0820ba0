package org.rankfold.tools.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code paths} check: every checkpoint the records name (progress.json, audit.jsonl) is a relative path
 * to a checkpoint inside the run, also after following links, and no link inside the run leads out of it.
 */
final class PathCheck {
    static final String NAME = "paths";

    private PathCheck() {
    }

    static Check run(RunRecords run) {
        List<String> problems = new ArrayList<>();
        Map<String, String> named = run.namedCheckpoints();
        for (Map.Entry<String, String> e : named.entrySet()) {
            if (run.inside(e.getValue()) == null) {
                problems.add(e.getKey() + ": checkpoint '" + e.getValue() + "' is not a checkpoint inside the run");
            }
        }
        int links = 0;
        try (Stream<Path> walk = Files.walk(run.root())) {
            for (Path p : walk.filter(Files::isSymbolicLink).toList()) {
                links++;
                try {
                    Path target = p.toRealPath();
                    if (!target.startsWith(run.root().toRealPath())) {
                        problems.add(run.root().relativize(p) + ": a link to " + target + ", outside the run");
                    }
                } catch (IOException e) {
                    problems.add(run.root().relativize(p) + ": a link to nothing (" + Files.readSymbolicLink(p) + ")");
                }
            }
        } catch (IOException e) {
            problems.add("listing the run: " + e.getMessage());
        }
        if (named.isEmpty() && links == 0 && problems.isEmpty()) {
            return Check.skipped(NAME, "no record names a checkpoint and the " + run.kind().label + " has no links");
        }
        return Check.of(NAME, named.size() + " recorded checkpoint path(s) lie inside the run" + (links > 0 ? "; "
                + links + " link(s) stay inside it" : ""), problems);
    }
}
