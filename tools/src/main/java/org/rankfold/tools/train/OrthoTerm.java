package org.rankfold.tools.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.rankfold.engine.nn.AvgPool2d;
import org.rankfold.engine.nn.BasicBlock;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Dropout;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.FoldedBasicBlock;
import org.rankfold.engine.nn.GlobalAvgPool;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.regularize.OrthogonalRegularizer;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.ExtraLoss;
import org.rankfold.tools.UserError;

/**
 * {@code --ortho so|dso|srip --ortho-lambda L} of {@code train}: the loss term {@code L * sum R(M)} of
 * Bansal et al. 2018 (docs/method.md) over the 1x1 factors A and B of every factorized convolution and the
 * weight of every other convolution and linear layer (a plain zoo model has no factors, so its plain
 * weights are the targets).
 */
public final class OrthoTerm {
    private OrthoTerm() {
    }

    /** The term, or null for {@code none}. */
    public static ExtraLoss create(String kind, double lambda, Module model) {
        String k = kind.trim().toLowerCase(Locale.ROOT);
        if (k.equals("none")) {
            return null;
        }
        if (!k.equals("so") && !k.equals("dso") && !k.equals("srip")) {
            throw new UserError("--ortho must be so, dso, srip or none, got '" + kind + "'");
        }
        if (!(lambda >= 0)) {
            throw new UserError("--ortho-lambda must be >= 0, got " + lambda);
        }
        OrthogonalRegularizer reg = OrthogonalRegularizer.parse(k);
        List<Tensor> weights = targets(model);
        return (m, epoch, step) -> reg.total(weights, lambda);
    }

    /** Factor weights of factorized convolutions, and plain conv/linear weights outside them. */
    static List<Tensor> targets(Module model) {
        List<Tensor> out = new ArrayList<>();
        List<String> factorized = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            String name = e.getKey();
            if (factorized.stream().anyMatch(f -> f.isEmpty() || name.startsWith(f + "."))) {
                continue;
            }
            switch (e.getValue()) {
                case FactorizedConv2d f -> {
                    factorized.add(name);
                    out.add(f.factorA().weight());
                    out.add(f.factorB().weight());
                }
                case Conv2d c -> out.add(c.weight());
                case Linear l -> out.add(l.weight());
                case BatchNorm2d _, ReLU _, MaxPool2d _, AvgPool2d _, GlobalAvgPool _, Flatten _,
                     Dropout _, Sequential _, BasicBlock _, FoldedBasicBlock _ -> { }
            }
        }
        if (out.isEmpty()) {
            throw new UserError("--ortho: the model has no convolution or linear weights to regularize");
        }
        return out;
    }
}
