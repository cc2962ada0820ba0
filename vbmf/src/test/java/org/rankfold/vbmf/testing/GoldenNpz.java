package org.rankfold.vbmf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.kernels.testing.Golden;
import org.rankfold.vbmf.tensor.DenseTensor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** One golden .npz file with typed accessors; a missing key fails the test with the file's name. */
public record GoldenNpz(String name, Map<String, NpyArray> arrays) {

    public static GoldenNpz load(String relative) {
        Path file = Golden.file(relative);
        try {
            return new GoldenNpz(relative, Npz.read(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The relative paths of every .npz file directly under the golden subdirectory {@code dir}, sorted. */
    public static List<String> list(String dir) {
        Path d = Golden.dir().resolve(dir);
        try (Stream<Path> files = Files.list(d)) {
            List<String> out = files.filter(p -> p.getFileName().toString().endsWith(".npz"))
                    .map(p -> dir + "/" + p.getFileName()).sorted().toList();
            assertTrue(!out.isEmpty(), "no golden files in " + d);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean has(String key) {
        return arrays.containsKey(key);
    }

    public NpyArray array(String key) {
        NpyArray a = arrays.get(key);
        if (a == null) {
            fail(name + ": no key '" + key + "'");
        }
        return a;
    }

    public double[] doubles(String key) {
        return array(key).asDoubles().clone();
    }

    public double scalar(String key) {
        return array(key).scalar();
    }

    public long integer(String key) {
        return array(key).scalarLong();
    }

    public long[] longs(String key) {
        return array(key).asLongs();
    }

    public DMatrixRMaj matrix(String key) {
        NpyArray a = array(key);
        if (a.rank() != 2) {
            fail(name + ": '" + key + "' is not 2-D");
        }
        return DMatrixRMaj.wrap(a.dim(0), a.dim(1), a.asDoubles().clone());
    }

    public DenseTensor tensor(String key) {
        NpyArray a = array(key);
        return new DenseTensor(a.shape(), a.asDoubles().clone());
    }
}
