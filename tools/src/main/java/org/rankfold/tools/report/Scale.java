package org.rankfold.tools.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chart axis: maps data values in {@code [min, max]} to pixels in {@code [pixelFrom, pixelTo]},
 * linearly or on a base-10 logarithmic scale, and proposes tick positions. A log scale needs
 * {@code 0 < min < max}; values at or below 0 have no position on it ({@link #contains(double)} is false).
 *
 * @param min       smallest value shown
 * @param max       largest value shown
 * @param log       base-10 logarithmic
 * @param pixelFrom pixel of {@code min} (for a y axis the bottom, so {@code pixelFrom > pixelTo})
 * @param pixelTo   pixel of {@code max}
 * @param integers  a linear axis of counts (epochs): ticks only at whole numbers
 */
public record Scale(double min, double max, boolean log, double pixelFrom, double pixelTo, boolean integers) {

    public Scale {
        if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max) || log && !(min > 0)) {
            throw new IllegalArgumentException("axis range must be finite with min < max (and min > 0 on a log axis), got ["
                    + min + ", " + max + "]");
        }
    }

    /** A scale of real values (ticks may fall between whole numbers). */
    public Scale(double min, double max, boolean log, double pixelFrom, double pixelTo) {
        this(min, max, log, pixelFrom, pixelTo, false);
    }

    /**
     * The scale that shows every finite value (positive ones only when {@code log}), widened to round
     * numbers: whole decades on a log axis, multiples of the tick step on a linear one. With no usable
     * value it shows [0, 1] (or [1, 10] on a log axis).
     */
    public static Scale fit(double[] values, boolean log, double pixelFrom, double pixelTo) {
        return fit(values, log, false, pixelFrom, pixelTo);
    }

    /**
     * As {@link #fit(double[], boolean, double, double)}; with {@code integers} (a linear axis of counts such
     * as epochs) the tick step is at least 1 and a single value v gets the range [v - 1, v + 1].
     */
    public static Scale fit(double[] values, boolean log, boolean integers, double pixelFrom, double pixelTo) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v) && (!log || v > 0)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            return log ? new Scale(1, 10, true, pixelFrom, pixelTo) : new Scale(0, 1, false, pixelFrom, pixelTo);
        }
        if (log) {
            double a = Math.pow(10, Math.floor(Math.log10(lo)));
            double b = Math.pow(10, Math.ceil(Math.log10(hi)));
            return new Scale(a, b > a ? b : a * 10, true, pixelFrom, pixelTo);
        }
        if (lo == hi) {
            double pad = integers || lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = integers ? Math.max(1, niceStep((hi - lo) / 5)) : niceStep((hi - lo) / 5);
        return new Scale(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, false, pixelFrom, pixelTo, integers);
    }

    /** Whether {@code v} has a position on this axis (finite, and positive on a log axis). */
    public boolean contains(double v) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    /** The pixel of {@code v} (values outside the range extrapolate; callers clip). */
    public double toPixel(double v) {
        double t = log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                : (v - min) / (max - min);
        return pixelFrom + t * (pixelTo - pixelFrom);
    }

    /**
     * Tick values inside the range: each decade on a log axis (every second or third one when there are
     * many; 2x and 5x added when the range is a single decade), multiples of a 1-2-5 step on a linear one.
     */
    public List<Double> ticks() {
        List<Double> t = new ArrayList<>();
        if (log) {
            int a = (int) Math.round(Math.log10(min));
            int b = (int) Math.round(Math.log10(max));
            int every = Math.max(1, (b - a + 7) / 8);
            for (int k = a; k <= b; k += every) {
                t.add(Math.pow(10, k));
            }
            if (b - a <= 1) {
                for (int k = a; k < b; k++) {
                    t.add(2 * Math.pow(10, k));
                    t.add(5 * Math.pow(10, k));
                }
                t.sort(Double::compare);
            }
            return t;
        }
        double step = integers ? Math.max(1, niceStep((max - min) / 5)) : niceStep((max - min) / 5);
        for (long i = (long) Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-9; i++) {
            t.add(Math.abs(i * step) < step * 1e-9 ? 0.0 : i * step);
        }
        return t;
    }

    /** A tick label: decades as "1e-3" on a log axis beyond [0.01, 1000], otherwise a short number. */
    public String label(double v) {
        if (log && (v < 0.01 || v >= 1e4)) {
            double e = Math.log10(v);
            if (Math.abs(e - Math.rint(e)) < 1e-9) {
                return "1e" + (long) Math.rint(e);
            }
            return String.format(Locale.ROOT, "%.0e", v).replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    /** The 1, 2 or 5 times a power of ten nearest above {@code rough}. */
    static double niceStep(double rough) {
        double p = Math.pow(10, Math.floor(Math.log10(rough)));
        double f = rough / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }
}
