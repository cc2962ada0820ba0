package org.rankfold.vbmf.evbmf;

import java.util.function.DoubleUnaryOperator;

/**
 * Minimization of a function of one variable on a closed interval {@code [a, b]} by Brent's method
 * (R. P. Brent, "Algorithms for Minimization without Derivatives", 1973, chapter 5, procedure
 * {@code localmin}): golden-section steps, replaced by parabolic interpolation steps whenever the parabola
 * through the three best points has its vertex well inside the bracket and moves less than half the step
 * before last. The function is never evaluated at the end points themselves (only within
 * {@code 2*tol} of them), which is also what SciPy's {@code minimize_scalar(method='bounded')} does.
 *
 * <p>Stops when the bracket around the best point {@code x} is within {@code 2*tol} with
 * {@code tol = relativeTolerance*|x| + absoluteTolerance/3}; with a unimodal function the minimiser is then
 * known to about {@code tol}. For a smooth minimum the attainable accuracy in {@code x} is about
 * {@code sqrt(machine epsilon)} relative (the function is flat there), hence the default relative tolerance.
 */
public final class BoundedMinimizer {
    /** Golden-section fraction {@code (3 - sqrt 5)/2}. */
    private static final double GOLDEN = 0.5 * (3.0 - Math.sqrt(5.0));
    /** {@code sqrt(2^-52)}: the best relative accuracy of a minimiser of a smooth function in float64. */
    public static final double DEFAULT_RELATIVE_TOLERANCE = Math.sqrt(Math.ulp(1.0));

    /**
     * @param x           the minimiser found
     * @param value       f(x)
     * @param evaluations how many times f was called
     * @param converged   false when the iteration cap stopped the search first
     */
    public record Result(double x, double value, int evaluations, boolean converged) {
    }

    private BoundedMinimizer() {
    }

    /**
     * Minimizes {@code f} on {@code [lower, upper]}.
     *
     * @param absoluteTolerance the absolute accuracy wanted in x (SciPy's {@code xatol}), &gt; 0
     * @param maxIterations     cap on the number of iterations (evaluations after the first)
     */
    public static Result minimize(DoubleUnaryOperator f, double lower, double upper, double absoluteTolerance,
                                  int maxIterations) {
        if (!(lower <= upper) || !Double.isFinite(lower) || !Double.isFinite(upper)) {
            throw new IllegalArgumentException("bounds must be finite with lower <= upper, got [" + lower + ", "
                    + upper + "]");
        }
        if (!(absoluteTolerance > 0)) {
            throw new IllegalArgumentException("absolute tolerance must be > 0, got " + absoluteTolerance);
        }
        double a = lower;
        double b = upper;
        double x = a + GOLDEN * (b - a);
        double w = x;
        double v = x;
        double fx = f.applyAsDouble(x);
        double fw = fx;
        double fv = fx;
        int evaluations = 1;
        double d = 0;
        double e = 0;
        double eps = DEFAULT_RELATIVE_TOLERANCE;
        double t = absoluteTolerance / 3.0;
        for (int iter = 0; iter < maxIterations; iter++) {
            double mid = 0.5 * (a + b);
            double tol = eps * Math.abs(x) + t;
            double tol2 = 2 * tol;
            if (Math.abs(x - mid) <= tol2 - 0.5 * (b - a)) {
                return new Result(x, fx, evaluations, true);
            }
            boolean golden = true;
            if (Math.abs(e) > tol) {
                // parabola through (v, fv), (w, fw), (x, fx); its vertex is x + p/q
                double r = (x - w) * (fx - fv);
                double q = (x - v) * (fx - fw);
                double p = (x - v) * q - (x - w) * r;
                q = 2 * (q - r);
                if (q > 0) {
                    p = -p;
                } else {
                    q = -q;
                }
                double eBefore = e;
                // accept only a step inside (a, b) and smaller than half the step before last
                if (Math.abs(p) < Math.abs(0.5 * q * eBefore) && p > q * (a - x) && p < q * (b - x)) {
                    e = d;
                    d = p / q;
                    double u = x + d;
                    if (u - a < tol2 || b - u < tol2) {
                        d = x < mid ? tol : -tol;
                    }
                    golden = false;
                }
            }
            if (golden) {
                e = (x < mid ? b : a) - x;
                d = GOLDEN * e;
            }
            double u = x + (Math.abs(d) >= tol ? d : (d > 0 ? tol : -tol));
            double fu = f.applyAsDouble(u);
            evaluations++;
            if (fu <= fx) {
                if (u < x) {
                    b = x;
                } else {
                    a = x;
                }
                v = w;
                fv = fw;
                w = x;
                fw = fx;
                x = u;
                fx = fu;
            } else {
                if (u < x) {
                    a = u;
                } else {
                    b = u;
                }
                if (fu <= fw || w == x) {
                    v = w;
                    fv = fw;
                    w = u;
                    fw = fu;
                } else if (fu <= fv || v == x || v == w) {
                    v = u;
                    fv = fu;
                }
            }
        }
        return new Result(x, fx, evaluations, false);
    }
}
