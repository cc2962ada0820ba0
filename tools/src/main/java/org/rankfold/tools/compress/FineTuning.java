package org.rankfold.tools.compress;

import java.io.IOException;
import java.util.List;

import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.LrSchedule;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.Evaluator;
import org.rankfold.engine.train.Trainer;
import org.rankfold.tools.UserError;
import org.rankfold.tools.train.MemoryEstimate;
import org.rankfold.tools.train.RunData;

/**
 * Fine-tuning of a decomposed model for {@code rankfold decompose --finetune}: SGD (momentum 0.9, weight
 * decay 5e-4, the pipeline's settings) with a cosine schedule from {@code lr} to 0, the NaN/Inf guard on;
 * test accuracy before and after.
 *
 * @param accuracyBefore test accuracy of the decomposed model before fine-tuning
 * @param accuracyAfter  test accuracy after
 * @param epochs         the finished epochs
 * @param data           which data was used
 */
public record FineTuning(double accuracyBefore, double accuracyAfter, List<EpochResult> epochs, String data) {

    public static FineTuning run(Module model, InputShape input, int epochs, double lr, int batch, String dataSpec,
                                 int limitTrain, int limitTest, long seed) throws IOException {
        if (epochs < 1 || !(lr > 0) || batch < 1) {
            throw new UserError("--finetune needs epochs >= 1, --finetune-lr > 0 and --batch >= 1");
        }
        RunData data = RunData.load(dataSpec, limitTrain, limitTest);
        InputShape d = data.inputShape();
        if (d.channels() != input.channels() || d.height() != input.height() || d.width() != input.width()
                || d.classes() != input.classes()) {
            throw new UserError("the checkpoint was built for " + input + " but the data " + data.split().summary()
                    + " has other image sizes or classes");
        }
        int images = data.split().train().size();
        if (batch > images) {
            throw new UserError("--batch " + batch + " is larger than the " + images + " training images: an epoch would"
                    + " train no batch; use --batch " + images + " or less");
        }
        MemoryEstimate.checkBatch(model, input.chw(), batch, "--batch");
        try (DataLoader train = data.trainLoader(batch, seed); DataLoader test = data.testLoader(batch)) {
            double before = Evaluator.evaluate(model, test).accuracy();
            Trainer t = new Trainer(model, Sgd.momentum(model.parameters(), lr, 0.9, 5e-4), LrSchedule.cosine(lr, epochs, 0),
                    train, test, epochs, true, null);
            List<EpochResult> history = t.fit();
            double after = Evaluator.evaluate(model, test).accuracy();
            return new FineTuning(before, after, history, data.split().summary());
        }
    }
}
