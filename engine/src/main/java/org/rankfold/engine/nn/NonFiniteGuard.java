package org.rankfold.engine.nn;

import java.util.Map;

import org.rankfold.engine.tensor.Tensor;

/**
 * Stops training at the first NaN or infinity and names where it appeared: every module's forward output
 * is scanned, and a gradient hook on that output scans the gradient that flows into the module during
 * backward; {@link #checkParameterGradients} scans parameter gradients before an optimizer step.
 * Costs one pass over each activation and gradient, so it is opt-in (the trainer's NaN guard).
 */
public final class NonFiniteGuard implements LayerObserver {

    private NonFiniteGuard() {
    }

    /** Attaches a guard to {@code model} and all its descendants; returns it. */
    public static NonFiniteGuard attach(Module model) {
        NonFiniteGuard guard = new NonFiniteGuard();
        model.observe(guard);
        return guard;
    }

    /** Removes any observer (guard or profiler) from the model. */
    public static void detach(Module model) {
        model.observe(null);
    }

    @Override
    public void afterForward(String name, Module module, Tensor input, Tensor output) {
        String layer = name.isEmpty() ? "<model>" : name;
        check(layer, "output", output.data());
        if (output.requiresGrad()) {
            output.onGrad(g -> check(layer, "gradient of output", g));
        }
    }

    /** Throws if any parameter gradient of {@code model} holds a non-finite value, naming the parameter. */
    public static void checkParameterGradients(Module model) {
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            float[] g = e.getValue().grad();
            if (g != null) {
                check(e.getKey(), "parameter gradient", g);
            }
        }
    }

    /** Throws {@link NonFiniteException} at the first NaN or infinity of {@code values}. */
    public static void check(String layer, String quantity, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new NonFiniteException(layer, quantity, i, values[i]);
            }
        }
    }
}
