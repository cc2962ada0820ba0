package org.rankfold.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH with the project's JVM flags appended to every forked JVM (the flags are defined once, in the
 * root pom's {@code rankfold.jvm.flags}, and reach this class through a filtered resource). Accepts JMH's
 * own command line, e.g. {@code GemmBench -p shape=1024x1024x1024 -f 1 -wi 3 -i 5}.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
        Properties props = new Properties();
        try (InputStream in = BenchMain.class.getResourceAsStream("/rankfold-benchmarks.properties")) {
            if (in == null) {
                throw new IllegalStateException("rankfold-benchmarks.properties missing from the class path");
            }
            props.load(in);
        }
        String[] flags = props.getProperty("jvm.flags", "").trim().split("\\s+");
        new Runner(new OptionsBuilder().parent(new CommandLineOptions(args)).jvmArgsAppend(flags).build()).run();
    }
}
