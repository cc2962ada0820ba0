package org.rankfold.vbmf.pipeline;

import java.util.List;

/**
 * A mutable copy of a {@link CompressionConfig} for applying overrides (e.g. command-line flags on top of
 * a preset); {@link #build()} validates.
 */
public final class ConfigBuilder {
    private String model;
    private long seed;
    private int batchSize;
    private int epochs;
    private double learningRate;
    private double momentum;
    private double weightDecay;
    private OverparamMode overparam;
    private double expand;
    private String ortho;
    private double orthoLambda;
    private double orthoDecay;
    private boolean orthoPlain;
    private boolean orthoFinetune;
    private String selector;
    private double weakening;
    private int minRank;
    private int maxRank;
    private double targetParamsRatio;
    private double targetMacsRatio;
    private boolean pointwise;
    private boolean linear;
    private boolean first;
    private boolean classifier;
    private int finetuneEpochs;
    private double finetuneLr;
    private List<Variant> variants;
    private int limitTrain;
    private int limitTest;
    private boolean speedAware;
    private double speedMargin;
    private int validation;
    private boolean matchedBaseline;

    public ConfigBuilder(CompressionConfig c) {
        model = c.model();
        seed = c.seed();
        batchSize = c.batchSize();
        epochs = c.epochs();
        learningRate = c.learningRate();
        momentum = c.momentum();
        weightDecay = c.weightDecay();
        overparam = c.overparam();
        expand = c.expand();
        ortho = c.ortho();
        orthoLambda = c.orthoLambda();
        orthoDecay = c.orthoDecay();
        orthoPlain = c.orthoPlain();
        orthoFinetune = c.orthoFinetune();
        selector = c.selector();
        weakening = c.weakening();
        minRank = c.minRank();
        maxRank = c.maxRank();
        targetParamsRatio = c.targetParamsRatio();
        targetMacsRatio = c.targetMacsRatio();
        pointwise = c.pointwise();
        linear = c.linear();
        first = c.first();
        classifier = c.classifier();
        finetuneEpochs = c.finetuneEpochs();
        finetuneLr = c.finetuneLr();
        variants = c.variants();
        limitTrain = c.limitTrain();
        limitTest = c.limitTest();
        speedAware = c.speedAware();
        speedMargin = c.speedMargin();
        validation = c.validation();
        matchedBaseline = c.matchedBaseline();
    }

    public CompressionConfig build() {
        return new CompressionConfig(model, seed, batchSize, epochs, learningRate, momentum, weightDecay, overparam, expand,
                ortho, orthoLambda, orthoDecay, orthoPlain, orthoFinetune, selector, weakening, minRank, maxRank, targetParamsRatio,
                targetMacsRatio, pointwise, linear, first, classifier, finetuneEpochs, finetuneLr, variants, limitTrain, limitTest,
                speedAware, speedMargin, validation, matchedBaseline);
    }

    public ConfigBuilder model(String v) { model = v; return this; }
    public ConfigBuilder seed(long v) { seed = v; return this; }
    public ConfigBuilder batchSize(int v) { batchSize = v; return this; }
    public ConfigBuilder epochs(int v) { epochs = v; return this; }
    public ConfigBuilder learningRate(double v) { learningRate = v; return this; }
    public ConfigBuilder momentum(double v) { momentum = v; return this; }
    public ConfigBuilder weightDecay(double v) { weightDecay = v; return this; }
    public ConfigBuilder overparam(OverparamMode v) { overparam = v; return this; }
    public ConfigBuilder expand(double v) { expand = v; return this; }
    public ConfigBuilder ortho(String v) { ortho = v; return this; }
    public ConfigBuilder orthoLambda(double v) { orthoLambda = v; return this; }
    public ConfigBuilder orthoDecay(double v) { orthoDecay = v; return this; }
    public ConfigBuilder orthoPlain(boolean v) { orthoPlain = v; return this; }
    public ConfigBuilder orthoFinetune(boolean v) { orthoFinetune = v; return this; }
    public ConfigBuilder selector(String v) { selector = v; return this; }
    public ConfigBuilder weakening(double v) { weakening = v; return this; }
    public ConfigBuilder minRank(int v) { minRank = v; return this; }
    public ConfigBuilder maxRank(int v) { maxRank = v; return this; }
    public ConfigBuilder targetParamsRatio(double v) { targetParamsRatio = v; return this; }
    public ConfigBuilder targetMacsRatio(double v) { targetMacsRatio = v; return this; }
    public ConfigBuilder pointwise(boolean v) { pointwise = v; return this; }
    public ConfigBuilder linear(boolean v) { linear = v; return this; }
    public ConfigBuilder first(boolean v) { first = v; return this; }
    public ConfigBuilder classifier(boolean v) { classifier = v; return this; }
    public ConfigBuilder finetuneEpochs(int v) { finetuneEpochs = v; return this; }
    public ConfigBuilder finetuneLr(double v) { finetuneLr = v; return this; }
    public ConfigBuilder variants(List<Variant> v) { variants = v; return this; }
    public ConfigBuilder limitTrain(int v) { limitTrain = v; return this; }
    public ConfigBuilder limitTest(int v) { limitTest = v; return this; }
    public ConfigBuilder speedAware(boolean v) { speedAware = v; return this; }
    public ConfigBuilder speedMargin(double v) { speedMargin = v; return this; }
    public ConfigBuilder validation(int v) { validation = v; return this; }
    public ConfigBuilder matchedBaseline(boolean v) { matchedBaseline = v; return this; }
}
