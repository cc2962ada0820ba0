package org.rankfold.datasets.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.cifar.Cifar10Format;
import org.rankfold.datasets.idx.IdxArray;
import org.rankfold.datasets.idx.IdxDatasets;
import org.rankfold.datasets.idx.IdxFormat;
import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.datasets.safetensors.Safetensors;
import org.rankfold.datasets.safetensors.SafetensorsHeader;
import org.rankfold.datasets.safetensors.TensorInfo;

/**
 * Describes a data file: .npy, .npz, safetensors, IDX (raw or .gz) or a CIFAR-10 batch. The format is
 * taken from the file name when it names one (so a damaged {@code .npy} is reported against the .npy
 * rules) and otherwise from the content. Every file is read with the hardened readers: a malformed one
 * gives a {@link MalformedFileException}.
 */
public final class FileInspector {
    private FileInspector() {
    }

    /** The formats recognised. */
    public enum Format { NPY, NPZ, SAFETENSORS, IDX, CIFAR10 }

    public static FileReport inspect(Path file) throws IOException {
        // A FIFO or device is refused before anything opens it (opening a FIFO blocks until a writer comes).
        RegularFiles.requireRegular(file, RegularFiles.Links.FOLLOW);
        return switch (detect(file)) {
            case NPY -> npy(file);
            case NPZ -> npz(file);
            case SAFETENSORS -> safetensors(file);
            case IDX -> idx(file);
            case CIFAR10 -> cifar(file);
        };
    }

    /** The format by name, else by content. */
    public static Format detect(Path file) throws IOException {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".npy")) {
            return Format.NPY;
        }
        if (n.endsWith(".npz")) {
            return Format.NPZ;
        }
        if (n.endsWith(".safetensors")) {
            return Format.SAFETENSORS;
        }
        if (n.contains("-idx") || n.contains(".idx") || n.endsWith("-ubyte") || n.endsWith("-ubyte.gz")) {
            return Format.IDX;
        }
        if (n.endsWith(".bin")) {
            return Format.CIFAR10;
        }
        byte[] head;
        try (InputStream in = RegularFiles.newInputStream(file, RegularFiles.Links.FOLLOW)) {
            head = in.readNBytes(9);
        }
        long size = Files.size(file);
        if (head.length >= 6 && (head[0] & 0xff) == 0x93 && head[1] == 'N' && head[2] == 'U') {
            return Format.NPY;
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K') {
            return Format.NPZ;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return Format.IDX;
        }
        if (head.length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == IdxFormat.TYPE_UBYTE) {
            return Format.IDX;
        }
        if (head.length == 9 && head[8] == '{') {
            return Format.SAFETENSORS;
        }
        if (size > 0 && size % Cifar10Format.RECORD_BYTES == 0) {
            return Format.CIFAR10;
        }
        throw new MalformedFileException(file.toString(), 0, "a .npy, .npz, safetensors, IDX or CIFAR-10 file;"
                + " neither the name nor the first bytes match any");
    }

    private static FileReport npy(Path file) throws IOException {
        NpyArray a = NpyFormat.read(file);
        List<String> warnings = new ArrayList<>();
        TextTable t = arrayTable(Map.of("(array)", a), warnings);
        return new FileReport(file.toString(), ".npy (NumPy array)", List.of(
                Map.entry("dtype", a.dtype().descr()),
                Map.entry("shape", Arrays.toString(a.shape())),
                Map.entry("elements", String.valueOf(a.size()))), t, warnings);
    }

    private static FileReport npz(Path file) throws IOException {
        Map<String, NpyArray> arrays = Npz.read(file);
        List<String> warnings = new ArrayList<>();
        long total = arrays.values().stream().mapToLong(NpyArray::size).sum();
        return new FileReport(file.toString(), ".npz (NumPy archive)", List.of(
                Map.entry("arrays", String.valueOf(arrays.size())),
                Map.entry("elements", String.valueOf(total))), arrayTable(arrays, warnings), warnings);
    }

    private static TextTable arrayTable(Map<String, NpyArray> arrays, List<String> warnings) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            NpyArray a = e.getValue();
            long[] bad = a.nonFiniteCounts();
            noteNonFinite(e.getKey(), bad, warnings);
            Stats s = Stats.of(a);
            rows.add(List.of(e.getKey(), a.dtype().descr(), Arrays.toString(a.shape()), String.valueOf(a.size()),
                    s.min(), s.max(), s.mean(), String.valueOf(bad[0]), String.valueOf(bad[1])));
        }
        return new TextTable(List.of("name", "dtype", "shape", "elements", "min", "max", "mean", "nan", "inf"), rows);
    }

    private static FileReport safetensors(Path file) throws IOException {
        SafetensorsHeader h = Safetensors.readHeader(file);
        // values are loaded (and NaN counted) only for the dtypes we can hold; others are described from the header
        boolean loadable = h.tensors().stream().allMatch(t -> t.dtype().npy().isPresent());
        Map<String, NpyArray> values = loadable ? Safetensors.read(file).tensors() : Map.of();
        List<String> warnings = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        long params = 0;
        for (TensorInfo t : h.tensors()) {
            NpyArray a = values.get(t.name());
            long[] bad = a == null ? null : a.nonFiniteCounts();
            if (bad != null) {
                noteNonFinite(t.name(), bad, warnings);
            }
            Stats s = a == null ? Stats.NONE : Stats.of(a);
            params += t.elementCount();
            rows.add(List.of(t.name(), t.dtype().name(), Arrays.toString(t.shape()), String.valueOf(t.elementCount()),
                    String.valueOf(t.byteLength()), s.min(), s.max(), s.mean(),
                    bad == null ? "-" : String.valueOf(bad[0]), bad == null ? "-" : String.valueOf(bad[1])));
        }
        if (!loadable) {
            warnings.add("values not loaded: some tensors have dtypes other than F32, F64, I64, I32, U8");
        }
        List<Map.Entry<String, String>> facts = new ArrayList<>();
        facts.add(Map.entry("tensors", String.valueOf(h.tensors().size())));
        facts.add(Map.entry("elements", String.valueOf(params)));
        facts.add(Map.entry("header", h.headerLength() + " bytes"));
        h.metadata().forEach((k, v) -> facts.add(Map.entry("metadata " + k, v)));
        return new FileReport(file.toString(), "safetensors", facts, new TextTable(List.of("name", "dtype", "shape",
                "elements", "bytes", "min", "max", "mean", "nan", "inf"), rows), warnings);
    }

    private static FileReport idx(Path file) throws IOException {
        IdxArray a = IdxFormat.read(file);
        int[] d = a.dims();
        List<Map.Entry<String, String>> facts = new ArrayList<>();
        facts.add(Map.entry("type", "unsigned byte (0x08)"));
        facts.add(Map.entry("dimensions", Arrays.toString(d)));
        List<List<String>> rows = new ArrayList<>();
        TextTable table;
        if (d.length == 1) {
            long[] counts = new long[256];
            for (byte b : a.data()) {
                counts[b & 0xff]++;
            }
            facts.add(Map.entry("content", d[0] + " labels"));
            for (int v = 0; v < 256; v++) {
                if (counts[v] > 0) {
                    rows.add(List.of(String.valueOf(v), v < 10 ? IdxDatasets.FASHION_MNIST_CLASSES.get(v) + " / digit " + v : "(out of range 0..9)",
                            String.valueOf(counts[v])));
                }
            }
            table = new TextTable(List.of("label", "fashion-mnist / mnist class", "count"), rows);
        } else {
            long sum = 0;
            int min = 255;
            int max = 0;
            for (byte b : a.data()) {
                int v = b & 0xff;
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            facts.add(Map.entry("content", d.length == 3 ? d[0] + " images of " + d[1] + "x" + d[2] : a.data().length + " values"));
            table = new TextTable(List.of("values", "min", "max", "mean"), a.data().length == 0 ? List.of()
                    : List.of(List.of(String.valueOf(a.data().length), String.valueOf(min), String.valueOf(max),
                    String.format(Locale.ROOT, "%.4f", (double) sum / a.data().length))));
        }
        return new FileReport(file.toString(), "IDX" + (isGzip(file) ? " (gzip)" : ""), facts, table, List.of());
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = RegularFiles.newInputStream(file, RegularFiles.Links.FOLLOW)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static FileReport cifar(Path file) throws IOException {
        Dataset d = Cifar10Format.read(file.getFileName().toString(), List.of(file));
        int[] counts = d.classCounts();
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            rows.add(List.of(String.valueOf(c), d.classNames().get(c), String.valueOf(counts[c])));
        }
        return new FileReport(file.toString(), "CIFAR-10 binary batch", List.of(
                Map.entry("records", String.valueOf(d.size())),
                Map.entry("images", d.channels() + "x" + d.height() + "x" + d.width() + " (RGB planes)")),
                new TextTable(List.of("label", "class", "count"), rows), List.of());
    }

    private static void noteNonFinite(String name, long[] bad, List<String> warnings) {
        if (bad[0] + bad[1] > 0) {
            warnings.add("'" + name + "' holds " + bad[0] + " NaN and " + bad[1] + " infinite values");
        }
    }

    /** Min, max and mean of finite values, formatted; "-" when there are none. */
    private record Stats(String min, String max, String mean) {
        static final Stats NONE = new Stats("-", "-", "-");

        static Stats of(NpyArray a) {
            double[] v = a.asDoubles();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            long n = 0;
            for (double x : v) {
                if (Double.isFinite(x)) {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                    sum += x;
                    n++;
                }
            }
            if (n == 0) {
                return NONE;
            }
            return new Stats(fmt(min), fmt(max), fmt(sum / n));
        }

        private static String fmt(double x) {
            return String.format(Locale.ROOT, "%.6g", x);
        }
    }
}
