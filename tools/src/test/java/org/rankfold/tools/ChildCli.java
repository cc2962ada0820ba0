package org.rankfold.tools;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CLI in a child JVM, for tests that must kill a real process (SIGKILL) and resume its run. */
public final class ChildCli {
    private ChildCli() {
    }

    /**
     * Starts {@link Main} with {@code args} in a child JVM with this JVM's flags (debugger and agent flags
     * dropped) and class path; stdout and stderr go to {@code log}.
     */
    public static Process start(List<String> args, Path log) throws IOException {
        return start(List.of(), args, log);
    }

    /** As {@link #start(List, Path)}, with {@code jvmFlags} (e.g. a smaller -Xmx) after this JVM's own flags. */
    public static Process start(List<String> jvmFlags, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xrunjdwp")) {
                cmd.add(a);
            }
        }
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
