package org.rankfold.vbmf.pipeline;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every setting of a compression run (written to {@code config.json}; a resumed run must have the same).
 *
 * @param model             zoo name, e.g. {@code fashionnet}
 * @param seed              seed of model initialization, data order and factor initialization (the same for every variant)
 * @param batchSize         images per training batch
 * @param epochs            training epochs of the baseline and of each variant's training
 * @param learningRate      initial SGD learning rate of training (cosine-annealed to 0 over {@code epochs})
 * @param momentum          SGD momentum
 * @param weightDecay       SGD weight decay
 * @param overparam         over-parameterization of the overparam/full variants
 * @param expand            expansion factor E for {@link OverparamMode#EXPAND}
 * @param ortho             {@code so}, {@code dso}, {@code srip} or {@code none} for the ortho/full variants
 * @param orthoLambda       lambda of the orthogonal penalty
 * @param orthoDecay        lambda is multiplied by this each epoch (1: constant)
 * @param orthoPlain        the ortho and full variants also regularize plain conv/linear weights (without it both
 *                          regularize the factors A and B only)
 * @param orthoFinetune     the ortho/full variants keep the penalty on the Tucker factors while fine-tuning
 * @param selector          {@code evbmf}, {@code energy:F} or {@code ratio:R}; with a target {@code energy} or
 *                          {@code ratio} (the search finds the value)
 * @param weakening         MUSCO weakening factor of the EVBMF selector, [0, 1]
 * @param minRank           smallest rank, &gt;= 1
 * @param maxRank           largest rank
 * @param targetParamsRatio params ratio to reach by bisection on the weakening (0: none)
 * @param targetMacsRatio   MACs ratio to reach likewise (0: none)
 * @param pointwise         1x1 convolutions get an SVD
 * @param linear            linear layers get an SVD
 * @param first             the first convolution is decomposed / over-parameterized too
 * @param classifier        the classifier (last linear layer) is decomposed too
 * @param finetuneEpochs    fine-tuning epochs after decomposition
 * @param finetuneLr        initial fine-tuning learning rate (own cosine schedule over {@code finetuneEpochs})
 * @param variants          the variants to run, in order
 * @param limitTrain        use only the first N training images (0: all)
 * @param limitTest         use only the first N test images (0: all)
 * @param speedAware        a layer is decomposed only if also measured faster ({@code --speed-aware}, docs/method.md)
 * @param speedMargin       the fraction the decomposed layer must be faster by, in [0, 1)
 * @param validation        training images held out as the validation set ({@link ValidationSplit}): 0 none (every
 *                          per-epoch evaluation on the test set, as before the option), {@link #AUTO_VALIDATION} the
 *                          default (5,000, at most a tenth of the training images), else that many
 * @param matchedBaseline   the dense baseline is also fine-tuned with the fine-tuning schedule
 *                          ({@code baseline/finetune}, {@code baseline/eval}), the budget-matched comparison
 */
public record CompressionConfig(String model, long seed, int batchSize, int epochs, double learningRate, double momentum,
                                double weightDecay, OverparamMode overparam, double expand, String ortho,
                                double orthoLambda, double orthoDecay, boolean orthoPlain, boolean orthoFinetune,
                                String selector,
                                double weakening, int minRank, int maxRank, double targetParamsRatio,
                                double targetMacsRatio, boolean pointwise, boolean linear, boolean first, boolean classifier,
                                int finetuneEpochs, double finetuneLr, List<Variant> variants, int limitTrain,
                                int limitTest, boolean speedAware, double speedMargin, int validation,
                                boolean matchedBaseline) {

    /** The decomposed layer must be 5% faster than the original with {@code --speed-aware}. */
    public static final double DEFAULT_SPEED_MARGIN = 0.05;
    /** {@code validation}: the default hold-out, {@link ValidationSplit#defaultSize}. */
    public static final int AUTO_VALIDATION = -1;

    public CompressionConfig {
        variants = List.copyOf(variants);
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        if (batchSize < 1 || epochs < 0 || finetuneEpochs < 0 || limitTrain < 0 || limitTest < 0) {
            throw new IllegalArgumentException("batch size >= 1, epochs >= 0, fine-tune epochs >= 0 and limits >= 0 required");
        }
        if (!(learningRate > 0) || !(finetuneLr > 0)) {
            throw new IllegalArgumentException("learning rates must be > 0, got " + learningRate + " and " + finetuneLr);
        }
        if (!(expand >= 1)) {
            throw new IllegalArgumentException("--expand must be >= 1, got " + expand);
        }
        if (!List.of("so", "dso", "srip", "none").contains(ortho.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--ortho must be so, dso, srip or none, got '" + ortho + "'");
        }
        if (!(orthoLambda >= 0) || !(orthoDecay > 0 && orthoDecay <= 1)) {
            throw new IllegalArgumentException("--ortho-lambda must be >= 0 and the decay in (0, 1]");
        }
        if (!(weakening >= 0 && weakening <= 1) || minRank < 1 || maxRank < minRank) {
            throw new IllegalArgumentException("--weakening in [0, 1] and 1 <= --min-rank <= --max-rank required");
        }
        if (org.rankfold.vbmf.decompose.SelectorSpec.isSearched(selector) && targetParamsRatio == 0 && targetMacsRatio == 0) {
            throw new IllegalArgumentException("--selector " + selector + " without a value needs a target ratio");
        }
        if (targetParamsRatio != 0 && targetMacsRatio != 0) {
            throw new IllegalArgumentException("give --target-params-ratio or --target-macs-ratio, not both");
        }
        for (double t : new double[] {targetParamsRatio, targetMacsRatio}) {
            if (t != 0 && !(t > 1)) {
                throw new IllegalArgumentException("a target ratio must be > 1 (original / compressed), got " + t);
            }
        }
        if (!(speedMargin >= 0 && speedMargin < 1)) {
            throw new IllegalArgumentException("--speed-margin must be in [0, 1), got " + speedMargin);
        }
        if (validation < AUTO_VALIDATION) {
            throw new IllegalArgumentException("--val-split must be >= 0 images (or auto), got " + validation);
        }
        if (variants.isEmpty() || variants.stream().distinct().count() != variants.size()) {
            throw new IllegalArgumentException("variants must be a non-empty list without repeats, got " + variants);
        }
        for (Variant v : variants) {
            if (v.overparameterized() && overparam == OverparamMode.NONE) {
                throw new IllegalArgumentException("variant " + v.label() + " needs over-parameterization, but --overparam is none");
            }
            if (v.orthogonal() && (ortho.equalsIgnoreCase("none") || orthoLambda == 0)) {
                throw new IllegalArgumentException("variant " + v.label() + " needs orthogonal regularization, but --ortho is none or lambda 0");
            }
        }
    }

    /**
     * {@code --preset quick}: a demo and CI smoke test that finishes in under 10 minutes on 2 cores on the
     * bundled sample: the first 2000 training images (200 of them held out for validation) and 500 test images, batch 64, 2 training epochs per model at
     * lr 0.05, 1 fine-tuning epoch at lr 0.01, only the plain and full variants ({@code --overparam
     * factorized}, {@code --ortho so}, lambda 1e-2), EVBMF ranks.
     */
    public static CompressionConfig quick(String model, long seed) {
        return new CompressionConfig(model, seed, 64, 2, 0.05, 0.9, 5e-4, OverparamMode.FACTORIZED, 2, "so", 1e-2, 1.0,
                false, false, "evbmf", 1.0, 1, Integer.MAX_VALUE, 0, 0, false, true, false, false, 1, 0.01,
                List.of(Variant.PLAIN, Variant.FULL), 2000, 500, false, DEFAULT_SPEED_MARGIN, AUTO_VALIDATION, true);
    }

    /**
     * {@code --preset standard}, the default on the full Fashion-MNIST: a result worth reporting within about 15
     * minutes on 2 cores. All training images less the 5,000 of the validation split, all 10,000 test images, batch
     * 128, 3 training epochs per model at lr 0.05 (a 3-epoch fashionnet reached 92.4%, docs/compression-evidence.md),
     * 2 fine-tuning epochs at lr 0.01, the plain and full variants at the EVBMF ranks (about 3.7x params on
     * fashionnet), and the budget-matched baseline. The time is an estimate from the measured training speeds
     * (docs/benchmarks.md), to be measured on an idle machine.
     */
    public static CompressionConfig standard(String model, long seed) {
        return new CompressionConfig(model, seed, 128, 3, 0.05, 0.9, 5e-4, OverparamMode.FACTORIZED, 2, "so", 1e-2, 1.0,
                false, false, "evbmf", 1.0, 1, Integer.MAX_VALUE, 0, 0, false, true, false, false, 2, 0.01,
                List.of(Variant.PLAIN, Variant.FULL), 0, 0, false, DEFAULT_SPEED_MARGIN, AUTO_VALIDATION, true);
    }

    /**
     * {@code --preset full}: the real experiment: all data, batch 128, 15 epochs per model at lr 0.05, 5
     * fine-tuning epochs at lr 0.01, all four variants ({@code --overparam factorized}, {@code --ortho so},
     * lambda 1e-2), EVBMF ranks.
     */
    public static CompressionConfig full(String model, long seed) {
        return new CompressionConfig(model, seed, 128, 15, 0.05, 0.9, 5e-4, OverparamMode.FACTORIZED, 2, "so", 1e-2, 1.0,
                false, false, "evbmf", 1.0, 1, Integer.MAX_VALUE, 0, 0, false, true, false, false, 5, 0.01,
                List.of(Variant.PLAIN, Variant.ORTHO, Variant.OVERPARAM, Variant.FULL), 0, 0, false, DEFAULT_SPEED_MARGIN,
                AUTO_VALIDATION, true);
    }

    /** The JSON of {@code config.json}. */
    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("model", model);
        o.put("seed", seed);
        o.put("batch_size", batchSize);
        o.put("epochs", epochs);
        o.put("learning_rate", learningRate);
        o.put("momentum", momentum);
        o.put("weight_decay", weightDecay);
        o.put("overparam", overparam.label());
        o.put("expand", expand);
        o.put("ortho", ortho.toLowerCase(Locale.ROOT));
        o.put("ortho_lambda", orthoLambda);
        o.put("ortho_decay", orthoDecay);
        o.put("ortho_plain", orthoPlain);
        o.put("ortho_finetune", orthoFinetune);
        o.put("selector", selector);
        o.put("weakening", weakening);
        o.put("min_rank", minRank);
        o.put("max_rank", maxRank);
        o.put("target_params_ratio", targetParamsRatio);
        o.put("target_macs_ratio", targetMacsRatio);
        o.put("pointwise", pointwise);
        o.put("linear", linear);
        o.put("first", first);
        o.put("finetune_epochs", finetuneEpochs);
        o.put("finetune_lr", finetuneLr);
        var v = o.putArray("variants");
        variants.forEach(x -> v.add(x.label()));
        o.put("limit_train", limitTrain);
        o.put("limit_test", limitTest);
        if (classifier) {
            // written only when on, so config.json of runs from before the option still matches on --resume
            o.put("classifier", true);
        }
        if (speedAware) {
            // written only when on, so config.json of runs from before the option still matches on --resume
            o.put("speed_aware", true);
            o.put("speed_margin", speedMargin);
        }
        if (!matchedBaseline) {
            // written only when off, so config.json of runs from before the option still matches on --resume
            o.put("matched_baseline", false);
        }
        return o;
    }

    /** The rank selection settings of the run ({@code V/ranks} plans with them, {@code V/tucker} applies the plan). */
    public org.rankfold.vbmf.decompose.RankSettings rankSettings() {
        return new org.rankfold.vbmf.decompose.RankSettings(selector, weakening, minRank, maxRank, targetParamsRatio,
                targetMacsRatio, pointwise, linear, first, classifier);
    }
}
