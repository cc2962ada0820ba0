package org.rankfold.tools.train;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.regularize.OrthogonalRegularizer;
import org.rankfold.engine.train.TrainingRun;
import org.rankfold.tools.UserError;

/**
 * The settings of a training run, saved in every checkpoint's {@code state.json} under "config" so that
 * {@code --resume} continues with exactly the same ones and {@code eval} knows the data and normalization.
 * The learning-rate schedule is per epoch: {@code cosine} (Loshchilov and Hutter 2017, from lr to 0 over
 * the run's epochs) or {@code constant}. {@code ortho} is so, dso, srip or none, with weight {@code orthoLambda}
 * over the factors and plain weights ({@link OrthogonalRegularizer}). {@code validation} is the number of training
 * images held out as the per-epoch evaluation set ({@link org.rankfold.datasets.ValidationSplit}; -1: the default
 * size, 0: none, the per-epoch evaluation then runs on the test set as before the split).
 */
public record TrainSettings(String model, String data, int epochs, int batch, double lr, double momentum,
                            double weightDecay, String schedule, long seed, int limitTrain, int limitTest, String ortho,
                            double orthoLambda, int validation) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public TrainSettings {
        if (epochs < 0 || batch < 1) {
            throw new UserError("--epochs must be >= 0 and --batch >= 1, got " + epochs + " and " + batch);
        }
        if (!(lr >= 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new UserError("--lr >= 0, --momentum in [0, 1) and --weight-decay >= 0 required, got " + lr + ", "
                    + momentum + ", " + weightDecay);
        }
        schedule = schedule.toLowerCase(Locale.ROOT);
        if (!schedule.equals("cosine") && !schedule.equals("constant")) {
            throw new UserError("--schedule must be cosine or constant, got '" + schedule + "'");
        }
        ortho = ortho.trim().toLowerCase(Locale.ROOT);
        if (!ortho.equals("none") && !ortho.equals("so") && !ortho.equals("dso") && !ortho.equals("srip")) {
            throw new UserError("--ortho must be so, dso, srip or none, got '" + ortho + "'");
        }
        if (validation < -1) {
            throw new UserError("--val-split must be auto or a whole number of images >= 0, got " + validation);
        }
        if (!(orthoLambda >= 0) || Double.isInfinite(orthoLambda)) {
            throw new UserError("--ortho-lambda must be a finite number >= 0, got " + orthoLambda);
        }
    }

    /**
     * The training run of these settings for {@code model}: SGD, the schedule and, unless {@code ortho} is none, the
     * orthogonal regularizer over the model's factors and plain weights.
     */
    public TrainingRun trainingRun(Module model) {
        OrthogonalRegularizer ortho = orthogonalRegularizer();
        if (ortho != null && OrthogonalRegularizer.targets(model, true).isEmpty()) {
            throw new UserError("--ortho: the model has no convolution or linear weights to regularize");
        }
        return new TrainingRun(epochs, lr, momentum, weightDecay, schedule.equals("cosine"), ortho);
    }

    /** The regularizer of {@code --ortho}/{@code --ortho-lambda}, or null for none. */
    OrthogonalRegularizer orthogonalRegularizer() {
        return ortho.equals("none") ? null : OrthogonalRegularizer.parse(ortho).weighted(orthoLambda, 1);
    }

    public TrainSettings withEpochs(int e) {
        return new TrainSettings(model, data, e, batch, lr, momentum, weightDecay, schedule, seed, limitTrain, limitTest, ortho,
                orthoLambda, validation);
    }

    public ObjectNode toJson(int threads) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("command", "train");
        n.put("model", model);
        n.put("data", data);
        n.put("epochs", epochs);
        n.put("batch", batch);
        n.put("lr", lr);
        n.put("momentum", momentum);
        n.put("weight_decay", weightDecay);
        n.put("schedule", schedule);
        n.put("seed", seed);
        n.put("threads", threads);
        n.put("limit_train", limitTrain);
        n.put("limit_test", limitTest);
        n.put("ortho", ortho);
        n.put("ortho_lambda", orthoLambda);
        n.put("val_split", validation);
        return n;
    }

    /**
     * The settings saved by {@link #toJson}; UserError naming the field when one is missing. A checkpoint from before
     * the validation split has no {@code val_split} and resumes without one.
     */
    public static TrainSettings fromJson(JsonNode n, String where) {
        if (n == null || !n.isObject() || !"train".equals(n.path("command").asText())) {
            throw new UserError(where + " holds no training settings (it was not written by 'rankfold train')");
        }
        for (String f : new String[] {"model", "data", "epochs", "batch", "lr", "momentum", "weight_decay", "schedule", "seed",
                "limit_train", "limit_test"}) {
            if (!n.has(f)) {
                throw new UserError(where + ": training settings lack '" + f + "'");
            }
        }
        return new TrainSettings(n.get("model").asText(), n.get("data").asText(), n.get("epochs").asInt(), n.get("batch").asInt(),
                n.get("lr").asDouble(), n.get("momentum").asDouble(), n.get("weight_decay").asDouble(), n.get("schedule").asText(),
                n.get("seed").asLong(), n.get("limit_train").asInt(), n.get("limit_test").asInt(), n.path("ortho").asText("none"),
                n.path("ortho_lambda").asDouble(0), n.path("val_split").asInt(0));
    }
}
