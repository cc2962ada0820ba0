package org.rankfold.tools.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import org.rankfold.tools.UserError;

/**
 * Submits a sweep as Slurm job arrays (docs/sweeps.md): one array task per unfinished cell, each running the same
 * command ({@link CellLauncher}, {@code sweep SPEC --out SWEEP --run-cell $SLURM_ARRAY_TASK_ID}) on a shared
 * filesystem, with {@code --cpus-per-task}, {@code --mem} (and {@code --time}, {@code --partition}) from the spec.
 * Cells that train go in a first array; cells that reuse a training in a second one that starts after the first
 * has ended ({@code --dependency=afterany}); a reusing cell whose source failed fails with a clear error.
 * The scripts are kept in {@code SWEEP/slurm/}, the tasks' output in {@code SWEEP/logs/}.
 */
final class SlurmExecutor {
    private SlurmExecutor() {
    }

    /** Writes and submits the arrays; returns their job ids. */
    static List<String> submit(List<SweepCell> cells, SweepSpec spec, Path specFile, Path sweep)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(sweep.resolve("slurm"));
        Files.createDirectories(sweep.resolve("logs"));
        StringJoiner trains = new StringJoiner(",");
        StringJoiner reuses = new StringJoiner(",");
        for (int i = 0; i < cells.size(); i++) {
            SweepCell c = cells.get(i);
            if (!c.complete(sweep)) {
                (c.source() == null ? trains : reuses).add(Integer.toString(i));
            }
        }
        List<String> ids = new ArrayList<>();
        String first = null;
        if (trains.length() > 0) {
            first = sbatch(write(dir.resolve("train.sbatch"), spec, specFile, sweep, trains.toString()), null);
            ids.add(first);
        }
        if (reuses.length() > 0) {
            ids.add(sbatch(write(dir.resolve("reuse.sbatch"), spec, specFile, sweep, reuses.toString()), first));
        }
        return ids;
    }

    /** The batch script of one array. */
    static Path write(Path file, SweepSpec spec, Path specFile, Path sweep, String indices) throws IOException {
        List<String> cmd = CellLauncher.command(specFile, sweep, spec.heap());
        StringBuilder b = new StringBuilder("#!/bin/bash\n");
        b.append("#SBATCH --job-name=rankfold-sweep\n");
        b.append("#SBATCH --array=").append(indices).append('\n');
        b.append("#SBATCH --cpus-per-task=").append(spec.cpus()).append('\n');
        b.append("#SBATCH --mem=").append(spec.memory()).append('\n');
        b.append("#SBATCH --ntasks=1\n");
        if (spec.time() != null) {
            b.append("#SBATCH --time=").append(spec.time()).append('\n');
        }
        if (spec.partition() != null) {
            b.append("#SBATCH --partition=").append(spec.partition()).append('\n');
        }
        b.append("#SBATCH --output=").append(sweep.toAbsolutePath().resolve("logs")).append("/slurm-%A_%a.log\n");
        b.append("export RANKFOLD_HEAP=").append(quote(spec.heap())).append('\n');
        b.append("cd ").append(quote(Path.of("").toAbsolutePath().toString())).append('\n');
        StringJoiner j = new StringJoiner(" ");
        cmd.forEach(a -> j.add(quote(a)));
        b.append("exec ").append(j).append(" --run-cell \"$SLURM_ARRAY_TASK_ID\" --threads-per-cell \"${SLURM_CPUS_PER_TASK:-")
                .append(spec.cpus()).append("}\"\n");
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static String sbatch(Path script, String afterJob) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
        if (afterJob != null) {
            cmd.add("--dependency=afterany:" + afterJob);
        }
        cmd.add(script.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UserError("--executor slurm: cannot run sbatch (" + e.getMessage() + "); is Slurm installed here?");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new UserError("--executor slurm: sbatch " + script + " failed: " + out);
        }
        // --parsable prints "jobid" or "jobid;cluster"
        String id = out.lines().reduce((a, b) -> b).orElse("").split(";")[0].trim();
        if (!id.matches("[0-9]+")) {
            throw new UserError("--executor slurm: sbatch printed no job id: " + out);
        }
        return id;
    }

    /** Single-quoted for the shell. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
