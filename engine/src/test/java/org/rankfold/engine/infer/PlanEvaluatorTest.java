package org.rankfold.engine.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.train.EvalResult;
import org.rankfold.engine.train.Evaluator;
import org.rankfold.engine.train.Synthetic;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.testing.SeededTest;

/** Evaluation through the plan reports what the autograd evaluator reports. */
class PlanEvaluatorTest extends SeededTest {

    @Test
    void lossAndAccuracyMatchTheAutogradEvaluator() {
        SplittableRandom rng = random();
        Dataset data = Synthetic.dataset("plan-eval", 50, 3);
        Module model = ModelZoo.create("resnet20", 1, Synthetic.SIZE, Synthetic.CLASSES, 9);
        PlanFixtures.randomizeBatchNorms(model, rng);
        PlanFixtures.decompose(model, rng);
        model.train(true);
        try (DataLoader a = Synthetic.testLoader(data, 16); DataLoader b = Synthetic.testLoader(data, 16)) {
            EvalResult viaAutograd = Evaluator.evaluate(model, a);
            EvalResult viaPlan = PlanEvaluator.evaluate(model, b);
            assertEquals(50, viaPlan.images());
            assertEquals(viaAutograd.loss(), viaPlan.loss(), 1e-5 * Math.max(1, Math.abs(viaAutograd.loss())));
            assertEquals(viaAutograd.accuracy(), viaPlan.accuracy(), 1.0 / 50 + 1e-12);
        }
        assertTrue(model.isTraining(), "the model's mode is left as it was");
    }
}
