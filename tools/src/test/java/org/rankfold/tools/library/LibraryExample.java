package org.rankfold.tools.library;

import java.nio.file.Path;
import java.util.Arrays;

import org.rankfold.engine.checkpoint.Checkpoint;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.infer.InferencePlan;
import org.rankfold.vbmf.decompose.Decomposer;
import org.rankfold.vbmf.decompose.DecompositionResult;
import org.rankfold.vbmf.decompose.RankPlanning;
import org.rankfold.vbmf.decompose.RankSettings;

/** Loads a checkpoint, predicts one image and decomposes the model (the README's library example). */
public final class LibraryExample {
    public static void main(String[] args) throws Exception {
        Checkpoint ck = CheckpointReader.load(Path.of(args[0])); // a checkpoint directory, e.g. RUN/checkpoints/baseline
        int c = ck.input().channels(), h = ck.input().height(), w = ck.input().width();
        float[] image = new float[c * h * w]; // one normalized image, C x H x W
        float[] logits = InferencePlan.compile(ck.model(), c, h, w).run(image, 0, 1);
        System.out.println("logits " + Arrays.toString(logits));

        // EVBMF ranks and Tucker-2, as 'rankfold decompose' with its defaults (first conv and classifier dense).
        RankSettings evbmf = new RankSettings("evbmf", 1, 1, Integer.MAX_VALUE, 0, 0, false, true, false, false);
        RankPlanning ranks = RankPlanning.plan(ck.model(), ck.input().chw(), evbmf, "library", null);
        DecompositionResult r = Decomposer.apply(ck.model(), ranks.plan(), ranks.options());
        System.out.printf("decomposed %d layers: %.2fx fewer params%n", r.decomposedCount(), r.paramsRatio());
    }
}
