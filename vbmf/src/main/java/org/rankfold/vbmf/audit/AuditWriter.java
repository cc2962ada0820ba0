package org.rankfold.vbmf.audit;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends audit records as JSON lines (one object per line, {@code audit.jsonl}). Each record is flushed
 * when written, so a run that dies leaves every finished step on disk.
 */
public final class AuditWriter implements Closeable {
    private final Writer out;

    public AuditWriter(Writer out) {
        this.out = out;
    }

    /** Opens {@code file} for appending (created if absent). */
    public static AuditWriter append(Path file) throws IOException {
        return new AuditWriter(new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)));
    }

    /** Writes one record as a line and flushes. */
    public void write(DecompositionAudit record) throws IOException {
        out.write(AuditJson.line(AuditJson.toJson(record)));
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
