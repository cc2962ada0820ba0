package org.rankfold.tools.sweep;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a sweep's cells on this machine, {@code jobs} at a time, each in a child process
 * ({@link CellLauncher}) with the threads split between them. Complete cells are skipped, started ones resume; a
 * cell that reuses training waits for its source, and is skipped when the source failed. Each cell's output goes
 * to {@code SWEEP/logs/CELL.log}.
 */
final class LocalExecutor {
    private LocalExecutor() {
    }

    /**
     * @param threads threads of each cell (0: the cores split between the {@code jobs} cells, or the spec's)
     * @param out     where each cell's start and end is reported
     * @return the names of the cells that failed
     */
    static List<String> run(List<SweepCell> cells, Path spec, Path sweep, int jobs, int threads, String heap,
                            PrintWriter out) throws IOException, InterruptedException {
        Files.createDirectories(sweep.resolve("logs"));
        List<SweepCell> pending = new ArrayList<>();
        for (SweepCell c : cells) {
            if (c.complete(sweep)) {
                out.println("sweep: " + c.name() + " complete, skipped");
            } else {
                pending.add(c);
            }
        }
        out.flush();
        Map<SweepCell, Process> running = new LinkedHashMap<>();
        Set<String> failed = new HashSet<>();
        List<String> failedOrder = new ArrayList<>();
        while (!pending.isEmpty() || !running.isEmpty()) {
            for (var it = pending.iterator(); it.hasNext() && running.size() < jobs; ) {
                SweepCell c = it.next();
                if (c.source() != null && failed.contains(c.source().name())) {
                    it.remove();
                    failed.add(c.name());
                    failedOrder.add(c.name());
                    out.println("sweep: " + c.name() + " skipped: its training source " + c.source().name() + " failed");
                    continue;
                }
                if (c.source() != null && !c.source().complete(sweep)) {
                    continue;
                }
                it.remove();
                List<String> cmd = new ArrayList<>(CellLauncher.command(spec, sweep, heap));
                cmd.addAll(List.of("--run-cell", Integer.toString(cells.indexOf(c)), "--jobs", Integer.toString(jobs)));
                if (threads > 0) {
                    cmd.addAll(List.of("--threads", Integer.toString(threads)));
                }
                Path log = sweep.resolve("logs").resolve(c.name() + ".log");
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().put("RANKFOLD_HEAP", heap);
                running.put(c, pb.start());
                out.println("sweep: " + c.name() + " started (" + log + ")");
            }
            out.flush();
            Thread.sleep(200);
            for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isAlive()) {
                    it.remove();
                    int rc = e.getValue().exitValue();
                    if (rc == 0 && e.getKey().complete(sweep)) {
                        out.println("sweep: " + e.getKey().name() + " finished");
                    } else {
                        failed.add(e.getKey().name());
                        failedOrder.add(e.getKey().name());
                        out.println("sweep: " + e.getKey().name() + " failed (exit " + rc + "; see logs/" + e.getKey().name() + ".log)");
                    }
                }
            }
        }
        out.flush();
        return failedOrder;
    }
}
