package org.rankfold.tools.report;

import java.util.List;

/**
 * One data series of a chart: points {@code (x[i], y[i])} drawn as a line, as markers, or both; points
 * that have no position on an axis (NaN, or at most 0 on a log axis) are left out and break the line.
 *
 * @param name   legend text (escaped when written)
 * @param x      abscissas
 * @param y      ordinates, as many as {@code x}
 * @param style  how the points are drawn
 * @param color  CSS colour, e.g. {@code #1f77b4}
 * @param labels text written next to each point (scatter plots), or empty for none
 */
public record Series(String name, double[] x, double[] y, Style style, String color, List<String> labels) {

    /** How a series is drawn. */
    public enum Style {
        /** A polyline. */
        LINE,
        /** A polyline with a filled marker on each point. */
        LINE_MARKERS,
        /** Filled markers only. */
        MARKERS,
        /** Hollow markers only (e.g. discarded singular values). */
        HOLLOW_MARKERS,
        /** A dashed polyline. */
        DASHED
    }

    public Series {
        x = x.clone();
        y = y.clone();
        labels = List.copyOf(labels);
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
        if (!labels.isEmpty() && labels.size() != x.length) {
            throw new IllegalArgumentException("series '" + name + "': " + labels.size() + " labels for " + x.length + " points");
        }
        if (!color.matches("#[0-9a-fA-F]{6}")) {
            throw new IllegalArgumentException("series colour must be #rrggbb, got '" + color + "'");
        }
    }

    public Series(String name, double[] x, double[] y, Style style, String color) {
        this(name, x, y, style, color, List.of());
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }

    /** x = 1, 2, ..., y.length (e.g. the index of a singular value or an epoch number from 1). */
    public static double[] oneToN(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 1;
        }
        return v;
    }
}
