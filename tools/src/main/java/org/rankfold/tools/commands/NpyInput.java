package org.rankfold.tools.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.tools.UserError;
import org.rankfold.vbmf.tensor.DenseTensor;

/**
 * Reads the {@code .npy} input (or {@code FILE.npz:NAME}, one array of an archive) of the vbmf / ranks / tucker
 * commands and checks it: the file exists and
 * parses, has the expected number of dimensions, is not empty and holds only finite values. Every failure
 * is a {@link UserError} or {@link MalformedFileException} naming the file (exit code 2).
 */
final class NpyInput {
    private NpyInput() {
    }

    /** A 2-D array as a float64 matrix. */
    static DMatrixRMaj matrix(Path file) throws MalformedFileException {
        NpyArray a = read(file, 2, "a 2-D matrix");
        return DMatrixRMaj.wrap(a.dim(0), a.dim(1), finite(file, a));
    }

    /** A 4-D conv kernel {@code [S, C, KH, KW]} as a float64 tensor. */
    static DenseTensor kernel(Path file) throws MalformedFileException {
        NpyArray a = read(file, 4, "a 4-D conv kernel [out, in, kh, kw]");
        return new DenseTensor(a.shape(), finite(file, a));
    }

    private static NpyArray read(Path given, int dims, String what) throws MalformedFileException {
        // FILE.npz:NAME picks one array of an .npz archive (e.g. a kernel of a saved model, or a matrix of the golden data).
        String s = given.toString();
        int colon = s.lastIndexOf(".npz:");
        Path file = colon < 0 ? given : Path.of(s.substring(0, colon + 4));
        String entry = colon < 0 ? null : s.substring(colon + 5);
        if (!Files.exists(file)) {
            throw new UserError("no such file: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + " is not a regular file (expected a .npy file holding " + what + ")");
        }
        NpyArray a;
        try {
            if (entry == null) {
                a = NpyFormat.read(file);
            } else {
                java.util.Map<String, NpyArray> arrays = org.rankfold.datasets.npy.Npz.read(file);
                a = arrays.get(entry);
                if (a == null) {
                    throw new UserError(file + " holds no array '" + entry + "' (it holds " + String.join(", ",
                            new java.util.TreeSet<>(arrays.keySet())) + ")");
                }
                file = given;
            }
        } catch (MalformedFileException e) {
            throw e;
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
        if (a.rank() != dims) {
            throw new MalformedFileException(file.toString(), -1, what + ", found " + a.rank() + "-D array of shape "
                    + Arrays.toString(a.shape()));
        }
        if (a.size() == 0) {
            throw new MalformedFileException(file.toString(), -1, what + " with no zero dimension, found shape "
                    + Arrays.toString(a.shape()));
        }
        return a;
    }

    private static double[] finite(Path file, NpyArray a) throws MalformedFileException {
        double[] v = a.asDoubles().clone();
        int[] shape = a.shape();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new MalformedFileException(file.toString(), -1, "finite values, found " + v[i] + " at index "
                        + Arrays.toString(unravel(i, shape)));
            }
        }
        return v;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }
}
