package org.rankfold.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.rankfold.datasets.cifar.Cifar10Format;
import org.rankfold.datasets.idx.IdxDatasets;
import org.rankfold.datasets.sample.FashionMnistSample;

/**
 * Turns the {@code --data} argument into data (docs/architecture.md, data). Accepted values:
 * <ul>
 *   <li>{@code null}, empty or {@code default}: the full Fashion-MNIST when it is installed, else the bundled sample;</li>
 *   <li>{@code fashion-mnist}, {@code mnist}: the four IDX files (raw or .gz), looked up in {@code $RANKFOLD_DATA},
 *       {@code $RANKFOLD_DATA/<name>} and the system folders ({@code /usr/share/datasets/<name>}, where Debian's
 *       {@code dataset-fashion-mnist} puts them);</li>
 *   <li>{@code cifar10}: {@code data_batch_1..5.bin} and {@code test_batch.bin} in {@code $RANKFOLD_DATA},
 *       {@code $RANKFOLD_DATA/cifar10} or {@code $RANKFOLD_DATA/cifar-10-batches-bin};</li>
 *   <li>{@code sample}: the bundled Fashion-MNIST sample;</li>
 *   <li>{@code images:DIR} or {@code images-SxC:DIR}: a folder of class sub-folders of PNG/JPEG images
 *       ({@link org.rankfold.datasets.image.ImageFolderData});</li>
 *   <li>{@code npz:FILE}: images and labels in one {@code .npz} archive ({@link NpzData});</li>
 *   <li>{@code KIND:DIR} ({@code fashion-mnist:DIR}, {@code mnist:DIR}, {@code cifar10:DIR}) or a bare {@code DIR}:
 *       that folder; a bare folder with CIFAR batch files is CIFAR-10, one with IDX files Fashion-MNIST (MNIST and
 *       Fashion-MNIST files have the same names, so MNIST's digit classes need {@code mnist:DIR}).</li>
 * </ul>
 * The resulting {@link DataSplit#summary()} says which data was used and how many images it holds.
 */
public final class DataResolver {
    /** Environment variable naming a folder with data sets. */
    public static final String ENV_DATA = "RANKFOLD_DATA";
    /** Where Debian's dataset packages install (dataset-fashion-mnist). */
    public static final Path SYSTEM_DATASETS = Path.of("/usr/share/datasets");

    private final Optional<Path> dataDir;
    private final List<Path> systemDirs;

    /** A resolver with an explicit data folder (may be empty) and system folders; for tests. */
    public DataResolver(Optional<Path> dataDir, List<Path> systemDirs) {
        this.dataDir = dataDir;
        this.systemDirs = List.copyOf(systemDirs);
    }

    /** The resolver of the running program: {@code $RANKFOLD_DATA} and {@code /usr/share/datasets}. */
    public static DataResolver standard() {
        return fromEnvironment(System.getenv());
    }

    static DataResolver fromEnvironment(Map<String, String> env) {
        String d = env.get(ENV_DATA);
        return new DataResolver(d == null || d.isBlank() ? Optional.empty() : Optional.of(Path.of(d)), List.of(SYSTEM_DATASETS));
    }

    /** Resolves and loads; throws IllegalArgumentException (bad usage) when the data is not found. */
    public DataSplit load(String spec) throws IOException {
        String s = spec == null ? "" : spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "", "default" -> {
                Optional<Path> full = findIdx("fashion-mnist");
                return full.isPresent() ? loadIdx("fashion-mnist", full.get(), IdxDatasets.FASHION_MNIST_CLASSES)
                        : FashionMnistSample.load();
            }
            case "sample" -> {
                return FashionMnistSample.load();
            }
            case "fashion-mnist", "mnist" -> {
                Path dir = findIdx(lower).orElseThrow(() -> notFound(lower, idxCandidates(lower),
                        lower.equals("fashion-mnist") ? "apt-get install dataset-fashion-mnist, or " : ""));
                return loadIdx(lower, dir, classesOf(lower));
            }
            case "cifar10" -> {
                Path dir = findCifar().orElseThrow(() -> notFound("cifar10", cifarCandidates(), ""));
                return loadCifar(dir);
            }
            default -> {
                return loadPath(s);
            }
        }
    }

    private DataSplit loadPath(String s) throws IOException {
        if (s.toLowerCase(Locale.ROOT).startsWith("npz:")) {
            Path file = Path.of(s.substring(4));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--data " + s + ": no file " + file + " (npz:FILE names an .npz archive"
                        + " with arrays x and y, or x_train, y_train, x_test and y_test)");
            }
            return NpzData.load(file);
        }
        String lowerSpec = s.toLowerCase(Locale.ROOT);
        if (lowerSpec.startsWith("images:") || lowerSpec.startsWith("images-")) {
            return images(s);
        }
        int colon = s.indexOf(':');
        String kind = null;
        String path = s;
        if (colon > 0) {
            String k = s.substring(0, colon).toLowerCase(Locale.ROOT);
            if (k.equals("fashion-mnist") || k.equals("mnist") || k.equals("cifar10")) {
                kind = k;
                path = s.substring(colon + 1);
            }
        }
        Path dir = Path.of(path);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data " + s + ": expected default, sample, fashion-mnist, mnist, cifar10, "
                    + "KIND:DIR or a folder with IDX or CIFAR-10 files; no folder " + dir + " exists");
        }
        if (kind == null) {
            if (isCifarDir(dir)) {
                kind = "cifar10";
            } else if (isIdxDir(dir)) {
                kind = "fashion-mnist";
            } else {
                throw new IllegalArgumentException("--data " + s + ": " + dir + " holds neither IDX files (train-images-idx3-ubyte[.gz] ...)"
                        + " nor CIFAR-10 batches (data_batch_1.bin ... test_batch.bin)");
            }
        }
        if (kind.equals("cifar10")) {
            if (!isCifarDir(dir)) {
                throw new IllegalArgumentException("--data " + s + ": " + dir + " has no data_batch_1.bin .. data_batch_5.bin and test_batch.bin");
            }
            return loadCifar(dir);
        }
        if (!isIdxDir(dir)) {
            throw new IllegalArgumentException("--data " + s + ": " + dir + " lacks one of " + String.join(", ", IDX_FILES) + " (raw or .gz)");
        }
        return loadIdx(kind, dir, classesOf(kind));
    }

    /** {@code images:DIR} (32x32 RGB) or {@code images-SxC:DIR} (S x S pixels, C = 1 gray or 3 RGB). */
    private static DataSplit images(String s) throws IOException {
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        int size = 32;
        int channels = 3;
        if (kind.length() > "images".length()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("images-(\\d{1,4})x([13])").matcher(kind.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("--data " + s + ": expected images:DIR or images-SIZExC:DIR (e.g."
                        + " images-28x1:DIR for 28x28 gray, images-32x3:DIR for 32x32 RGB)");
            }
            size = Integer.parseInt(m.group(1));
            channels = Integer.parseInt(m.group(2));
        }
        Path dir = Path.of(colon < 0 ? "" : s.substring(colon + 1));
        if (colon < 0 || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data " + s + ": no folder " + dir + " (images:DIR names a folder of"
                    + " class sub-folders of PNG/JPEG images)");
        }
        return org.rankfold.datasets.image.ImageFolderData.load(dir, channels, size);
    }

    private static List<String> classesOf(String kind) {
        return kind.equals("mnist") ? IdxDatasets.MNIST_CLASSES : IdxDatasets.FASHION_MNIST_CLASSES;
    }

    private static final List<String> IDX_FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private static Optional<Path> idxFile(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    private static boolean isIdxDir(Path dir) {
        return IDX_FILES.stream().allMatch(f -> idxFile(dir, f).isPresent());
    }

    private static boolean isCifarDir(Path dir) {
        return Files.isRegularFile(dir.resolve("test_batch.bin")) && Cifar10Format.trainFiles(dir).size() == 5;
    }

    private List<Path> idxCandidates(String kind) {
        List<Path> c = new ArrayList<>();
        dataDir.ifPresent(d -> {
            c.add(d.resolve(kind));
            c.add(d);
        });
        systemDirs.forEach(d -> c.add(d.resolve(kind)));
        return c;
    }

    private List<Path> cifarCandidates() {
        List<Path> c = new ArrayList<>();
        dataDir.ifPresent(d -> {
            c.add(d.resolve("cifar10"));
            c.add(d.resolve("cifar-10-batches-bin"));
            c.add(d);
        });
        systemDirs.forEach(d -> c.add(d.resolve("cifar10")));
        return c;
    }

    private Optional<Path> findIdx(String kind) {
        return idxCandidates(kind).stream().filter(DataResolver::isIdxDir).findFirst();
    }

    private Optional<Path> findCifar() {
        return cifarCandidates().stream().filter(DataResolver::isCifarDir).findFirst();
    }

    private static IllegalArgumentException notFound(String kind, List<Path> looked, String hint) {
        return new IllegalArgumentException("--data " + kind + ": not found in " + looked + "; " + hint + "set "
                + ENV_DATA + " to a folder holding it, or use --data sample");
    }

    private static DataSplit loadIdx(String kind, Path dir, List<String> classes) throws IOException {
        Dataset train = IdxDatasets.read(kind + "-train", idxFile(dir, IDX_FILES.get(0)).orElseThrow(),
                idxFile(dir, IDX_FILES.get(1)).orElseThrow(), classes);
        Dataset test = IdxDatasets.read(kind + "-test", idxFile(dir, IDX_FILES.get(2)).orElseThrow(),
                idxFile(dir, IDX_FILES.get(3)).orElseThrow(), classes);
        return new DataSplit(train, test, kind + " from " + dir);
    }

    private static DataSplit loadCifar(Path dir) throws IOException {
        Dataset train = Cifar10Format.read("cifar10-train", Cifar10Format.trainFiles(dir));
        Dataset test = Cifar10Format.read("cifar10-test", List.of(dir.resolve("test_batch.bin")));
        return new DataSplit(train, test, "cifar10 from " + dir);
    }
}
