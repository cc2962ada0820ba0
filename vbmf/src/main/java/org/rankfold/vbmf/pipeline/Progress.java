package org.rankfold.vbmf.pipeline;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.MalformedFileException;

/**
 * {@code progress.json} of a compression run: the completed phases in the order they completed
 * ({@link CompletedPhase}), and {@code audit.{bytes,sha256}}: how many bytes of {@code audit.jsonl} the completed
 * phases wrote and their SHA-256. Every phase appends its audit records before its entry is recorded, so on
 * {@code --resume} the audit is cut back to those bytes: records of a phase killed half-way (say during its
 * checkpoint save) are dropped and written once more when it reruns, never twice.
 *
 * <p>Read back, everything is verified, and the first thing that does not verify is one error line naming the
 * field: every field's kind and range; that the phases are phases of this configuration, each after the phases
 * it depends on; that every checkpoint lies inside the run ({@link RunIntegrity#checkpointInside}) and has the
 * recorded SHA-256; that the audit's first {@code bytes} bytes have the recorded SHA-256; and that every recorded
 * result equals the {@code phase_end} record the audit holds for it.
 */
final class Progress {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, CompletedPhase> completed = new LinkedHashMap<>();

    Map<String, CompletedPhase> completed() {
        return Collections.unmodifiableMap(completed);
    }

    CompletedPhase get(String phase) {
        return completed.get(phase);
    }

    boolean isEmpty() {
        return completed.isEmpty();
    }

    void add(CompletedPhase c) {
        completed.put(c.name(), c);
    }

    /** The phases of a run of {@code variants} (and, with {@code matchedBaseline}, the budget-matched baseline's), in the order they run. */
    static List<String> phaseOrder(List<Variant> variants, boolean matchedBaseline) {
        List<String> order = new ArrayList<>();
        order.add("baseline");
        for (Variant v : variants) {
            String p = v.label() + "/";
            if (v != Variant.PLAIN) {
                order.add(p + "train");
                order.add(p + "fold");
            }
            for (String k : List.of("ranks", "tucker", "eval_before", "finetune", "eval")) {
                order.add(p + k);
            }
        }
        if (matchedBaseline) {
            // last, so that runs from before these phases resume into them
            order.add("baseline/finetune");
            order.add("baseline/eval");
        }
        return order;
    }

    /** The {@code completed} object as written. */
    ObjectNode completedJson() {
        ObjectNode o = MAPPER.createObjectNode();
        completed.forEach((k, v) -> o.set(k, v.toJson()));
        return o;
    }

    /** Writes progress.json (atomically) with the digest of audit.jsonl as it is now. */
    void write(RunDirectory run) throws IOException {
        ObjectNode p = MAPPER.createObjectNode();
        p.set("completed", completedJson());
        long bytes = Files.exists(run.audit(), LinkOption.NOFOLLOW_LINKS) ? Files.size(run.audit()) : 0;
        ObjectNode a = p.putObject("audit");
        a.put("bytes", bytes);
        a.put("sha256", RunIntegrity.prefixDigest0(run.audit(), bytes));
        run.writeJson(run.progress(), p);
    }

    /**
     * Reads and verifies {@code progress.json} of {@code run} (see the class comment), then cuts {@code audit.jsonl}
     * back to the bytes it records. Without a progress.json, the audit is emptied (no phase completed).
     */
    static Progress resume(RunDirectory run, List<Variant> variants, boolean matchedBaseline) throws IOException {
        if (!Files.exists(run.progress(), LinkOption.NOFOLLOW_LINKS)) {
            return fresh(run);
        }
        return read(run, phaseOrder(variants, matchedBaseline), true);
    }

    /** No phase completed: the audit of an earlier start that completed none is emptied. */
    static Progress fresh(RunDirectory run) throws IOException {
        cutAudit(run, 0);
        return new Progress();
    }

    /**
     * Reads and verifies the progress of another run (the source of {@code --reuse-training}), which may have run
     * other variants; its audit is left as it is.
     */
    static Progress ofOtherRun(RunDirectory source) throws IOException {
        return read(source, phaseOrder(List.of(Variant.values()), true), false);
    }

    private static Progress read(RunDirectory run, List<String> order, boolean own) throws IOException {
        Progress p = new Progress();
        Path file = run.progress();
        RecordFields top = RecordFields.of(file, "", RunDirectory.readJson(file));
        RecordFields done = top.object("completed");
        for (var it = done.node().fieldNames(); it.hasNext(); ) {
            String name = it.next();
            RecordFields f = done.object(name);
            if (!order.contains(name)) {
                throw new MalformedFileException(file.toString(), -1, f.path() + ": not a phase of this run's configuration"
                        + " (expected one of " + String.join(", ", order) + ")");
            }
            CompletedPhase c = CompletedPhase.read(name, f);
            if (own && c.reusedFrom() == null) {
                for (String before : order.subList(0, order.indexOf(name))) {
                    if (!done.has(before)) {
                        throw new MalformedFileException(file.toString(), -1, f.path() + ": recorded as completed, but the"
                                + " phase before it, " + before + ", is not");
                    }
                }
            }
            if (c.checkpoint() != null) {
                Path dir = RunIntegrity.checkpointInside(run, c.checkpoint(), f);
                String actual = RunIntegrity.checkpointDigest(dir);
                if (!actual.equals(c.checkpointSha256())) {
                    throw new MalformedFileException(file.toString(), -1, f.where("checkpoint_sha256") + ": the files of "
                            + dir + " have SHA-256 " + actual + ", not the recorded one (the checkpoint was changed)");
                }
            }
            p.add(c);
        }
        RecordFields audit = top.object("audit");
        long bytes = audit.count("bytes");
        String sha = audit.text("sha256");
        Path log = run.audit();
        if (Files.isSymbolicLink(log) || (Files.exists(log) && !Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS))) {
            throw new MalformedFileException(log.toString(), -1, "expected a regular file of the run, not a link or special file");
        }
        long size = Files.exists(log) ? Files.size(log) : 0;
        if (size < bytes) {
            throw new MalformedFileException(file.toString(), -1, audit.where("bytes") + ": the run's audit.jsonl holds "
                    + size + " bytes, fewer than the " + bytes + " recorded (it was cut or replaced)");
        }
        if (!RunIntegrity.prefixDigest0(log, bytes).equals(sha)) {
            throw new MalformedFileException(file.toString(), -1, audit.where("sha256") + ": the first " + bytes
                    + " bytes of audit.jsonl do not have the recorded SHA-256 (the audit was edited)");
        }
        p.checkAgainstAudit(file, log, bytes);
        if (own) {
            cutAudit(run, bytes);
        }
        return p;
    }

    /** Every recorded phase (not copied from another run) equals its {@code phase_end} record in the audit. */
    private void checkAgainstAudit(Path file, Path log, long bytes) throws IOException {
        Map<String, JsonNode> ends = new LinkedHashMap<>();
        // the first `bytes` bytes only, a line at a time (the audit of a long run may be large)
        try (InputStream raw = Files.newInputStream(log, LinkOption.NOFOLLOW_LINKS);
             BufferedReader lines = new BufferedReader(new InputStreamReader(limited(raw, bytes), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode r = RunDirectory.parse(line);
                if ("phase_end".equals(r.path("step").asText())) {
                    ends.put(r.path("phase").asText(), r);
                }
            }
        }
        for (String phase : ends.keySet()) {
            if (!completed.containsKey(phase)) {
                throw new MalformedFileException(file.toString(), -1, "completed: lacks " + phase + ", which audit.jsonl"
                        + " records as completed (the run's records were edited)");
            }
        }
        for (CompletedPhase c : completed.values()) {
            if (c.reusedFrom() != null) {
                continue;
            }
            JsonNode end = ends.get(c.name());
            String where = "completed." + c.name();
            if (end == null) {
                throw new MalformedFileException(file.toString(), -1, where + ": audit.jsonl has no phase_end record of"
                        + " this phase");
            }
            JsonNode mine = RunDirectory.parse(c.toJson().toString());
            for (var it = mine.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!CompletedPhase.NOT_IN_AUDIT.contains(f) && !mine.get(f).equals(end.get(f))) {
                    throw new MalformedFileException(file.toString(), -1, where + "." + f + " is "
                            + RecordFields.shown(mine.get(f)) + " but audit.jsonl's phase_end record of " + c.name()
                            + " says " + RecordFields.shown(end.get(f)) + " (the run's records were edited)");
                }
            }
        }
    }

    /** {@code in} ending after {@code limit} bytes. */
    private static InputStream limited(InputStream in, long limit) {
        return new FilterInputStream(in) {
            private long left = limit;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                left -= b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(buf, off, (int) Math.min(len, left));
                left -= Math.max(n, 0);
                return n;
            }
        };
    }

    /** Cuts {@code audit.jsonl} to its first {@code bytes} bytes (the records of completed phases). */
    private static void cutAudit(RunDirectory run, long bytes) throws IOException {
        Path log = run.audit();
        if (!Files.exists(log, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            if (ch.size() > bytes) {
                ch.truncate(bytes);
                ch.force(true);
            }
        }
    }
}
