package org.rankfold.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * Chooses the backend explicitly and visibly: the providers found by {@link ServiceLoader} that report
 * themselves available, the highest priority first, unless {@code -Drankfold.backend=ref|cpu|opencl}
 * names one. The choice is logged once.
 */
public final class Backends {
    private static final Logger LOG = Logger.getLogger(Backends.class.getName());
    private static volatile Backend current;

    private Backends() {
    }

    /** The process-wide default backend, chosen on first use. */
    public static Backend current() {
        Backend b = current;
        if (b == null) {
            synchronized (Backends.class) {
                b = current;
                if (b == null) {
                    Backend chosen = choose(System.getProperty("rankfold.backend"));
                    LOG.fine(() -> "rankfold backend: " + chosen.name());
                    current = chosen;
                    b = chosen;
                }
            }
        }
        return b;
    }

    /** Replaces the process-wide backend (CLI --threads/--device, tests). */
    public static void setCurrent(Backend backend) {
        current = backend;
    }

    /** All providers on the class path, whether available or not. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> all = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(all::add);
        all.sort((x, y) -> Integer.compare(y.priority(), x.priority()));
        return all;
    }

    /** The backend named {@code name} (or the best available one when name is null/empty). */
    public static Backend choose(String name) {
        List<BackendProvider> all = providers();
        if (name == null || name.isBlank()) {
            Optional<BackendProvider> best = all.stream().filter(BackendProvider::isAvailable).findFirst();
            return best.map(BackendProvider::create).orElseGet(org.rankfold.kernels.ref.ReferenceBackend::new);
        }
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("ref")) {
            return new org.rankfold.kernels.ref.ReferenceBackend();
        }
        for (BackendProvider p : all) {
            if (p.name().equals(wanted)) {
                if (!p.isAvailable()) {
                    throw new IllegalStateException("backend '" + wanted + "' is not available: " + p.unavailableReason());
                }
                return p.create();
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; known: ref"
                + all.stream().map(p -> ", " + p.name()).reduce("", String::concat));
    }
}
