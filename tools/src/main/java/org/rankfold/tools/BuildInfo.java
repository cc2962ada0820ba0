package org.rankfold.tools;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What this build is: the project version and the git commit it was built from, stamped into
 * {@code build.properties} by the Maven build (the launcher and {@code scripts/make-dist.sh} pass the commit),
 * so a release archive knows its commit without git.
 *
 * @param version the Maven project version
 * @param commit  the abbreviated commit id (with "-dirty" when the tree had uncommitted changes), or "unknown"
 */
public record BuildInfo(String version, String commit) {
    private static final String RESOURCE = "build.properties";

    /** The stamped values; "unknown" for what is missing (e.g. classes run straight from an IDE). */
    public static BuildInfo current() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a resource of our own jar that cannot be read: report the build as unknown rather than fail --version
        }
        return new BuildInfo(value(p, "version"), value(p, "commit"));
    }

    private static String value(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        // an unfiltered resource still holds the ${...} placeholder
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }
}
