package org.rankfold.tools.compress;

import java.io.IOException;
import java.util.List;

import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.infer.PlanEvaluator;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.TrainingRun;
import org.rankfold.tools.UserError;
import org.rankfold.tools.train.MemoryEstimate;
import org.rankfold.tools.train.RunData;

/**
 * Fine-tuning of a decomposed model for {@code rankfold decompose --finetune}: the {@link TrainingRun} it is
 * given (SGD with the command's momentum and weight decay, cosine from its learning rate to 0, the NaN/Inf
 * guard on); test accuracy before and after.
 *
 * @param accuracyBefore test accuracy of the decomposed model before fine-tuning
 * @param accuracyAfter  test accuracy after
 * @param epochs         the finished epochs
 * @param data           which data was used
 */
public record FineTuning(double accuracyBefore, double accuracyAfter, List<EpochResult> epochs, String data) {

    public static FineTuning run(Module model, InputShape input, TrainingRun run, int batch, String dataSpec,
                                 int limitTrain, int limitTest, long seed) throws IOException {
        if (run.epochs() < 1 || !(run.lr() > 0) || batch < 1) {
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
            double before = PlanEvaluator.evaluate(model, test).accuracy();
            List<EpochResult> history = run.trainer(model, train, test).fit();
            double after = PlanEvaluator.evaluate(model, test).accuracy();
            return new FineTuning(before, after, history, data.split().summary());
        }
    }
}
