package org.rankfold.tools.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs one cell in a process of its own: the {@code rankfold} launcher when this JVM was started
 * by it (it exports {@code RANKFOLD_LAUNCHER}; the system property {@code rankfold.launcher} also names one), else
 * this JVM's java and class path (tests, an IDE, a release archive). Local workers
 * and Slurm array tasks run the same command, {@code ... sweep SPEC --out SWEEP --run-cell I}.
 */
final class CellLauncher {
    private CellLauncher() {
    }

    static List<String> command(Path spec, Path sweep, String heap) {
        List<String> c = new ArrayList<>(prefix(heap));
        c.addAll(List.of("sweep", spec.toAbsolutePath().toString(), "--out", sweep.toAbsolutePath().toString()));
        return c;
    }

    private static List<String> prefix(String heap) {
        String launcher = System.getProperty("rankfold.launcher", System.getenv("RANKFOLD_LAUNCHER"));
        if (launcher != null && !launcher.isBlank()) {
            return List.of(launcher);
        }
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Xms" + heap, "-Xmx" + heap, "-Xss8m", "-cp", System.getProperty("java.class.path"),
                "org.rankfold.tools.Main");
    }
}
