package org.rankfold.vbmf.pipeline;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.DataSplit;

/**
 * {@code summary.json} from the completed phases: {@code baseline.{accuracy,params,macs}},
 * {@code compressed.{variant,accuracy,accuracy_before_finetune,params,macs}} (the full method, or the last
 * variant run when it was not), {@code params_ratio}, {@code macs_ratio} (original / compressed),
 * {@code layers[]} of the compressed variant ({@link LayerSummary}),
 * {@code ablation.<variant>.{accuracy,accuracy_before_finetune,trained_accuracy,params,macs,params_ratio,macs_ratio,weakening}},
 * {@code data.{dataset,train_images,test_images}}, {@code seed}, the method's settings and
 * {@code wall_seconds} per phase.
 */
final class SummaryBuilder {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SummaryBuilder() {
    }

    static ObjectNode build(CompressionConfig config, DataSplit data, ObjectNode completed) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("model", config.model());
        s.put("seed", config.seed());
        ObjectNode d = s.putObject("data");
        d.put("dataset", data.origin());
        d.put("train_images", data.train().size());
        d.put("test_images", data.test().size());
        s.put("overparam", config.overparam().label());
        s.put("expand", config.overparam().factor(config.expand()));
        s.put("ortho", config.ortho());
        s.put("ortho_lambda", config.orthoLambda());
        s.put("selector", config.selector());

        JsonNode base = completed.get("baseline");
        ObjectNode b = s.putObject("baseline");
        b.put("accuracy", base.get("accuracy").asDouble());
        b.put("params", base.get("params").asLong());
        b.put("macs", base.get("macs").asLong());

        ObjectNode ablation = s.putObject("ablation");
        Variant compressed = config.variants().contains(Variant.FULL) ? Variant.FULL
                : config.variants().get(config.variants().size() - 1);
        for (Variant v : config.variants()) {
            String p = v.label() + "/";
            ObjectNode a = ablation.putObject(v.label());
            JsonNode eval = completed.get(p + "eval");
            a.put("accuracy", eval.get("accuracy").asDouble());
            a.put("accuracy_before_finetune", completed.get(p + "eval_before").get("accuracy").asDouble());
            a.put("trained_accuracy", v == Variant.PLAIN ? base.get("accuracy").asDouble()
                    : completed.get(p + "train").get("accuracy").asDouble());
            a.put("params", eval.get("params").asLong());
            a.put("macs", eval.get("macs").asLong());
            a.put("params_ratio", base.get("params").asDouble() / eval.get("params").asDouble());
            a.put("macs_ratio", base.get("macs").asDouble() / eval.get("macs").asDouble());
            a.put("weakening", completed.get(p + "ranks").get("weakening").asDouble());
            if (completed.get(p + "ranks").has("target_met")) {
                a.put("target_met", completed.get(p + "ranks").get("target_met").asBoolean());
            }
        }
        ObjectNode c = s.putObject("compressed");
        JsonNode cv = ablation.get(compressed.label());
        c.put("variant", compressed.label());
        c.put("accuracy", cv.get("accuracy").asDouble());
        c.put("accuracy_before_finetune", cv.get("accuracy_before_finetune").asDouble());
        c.put("params", cv.get("params").asLong());
        c.put("macs", cv.get("macs").asLong());
        s.put("params_ratio", cv.get("params_ratio").asDouble());
        s.put("macs_ratio", cv.get("macs_ratio").asDouble());
        s.set("layers", completed.get(compressed.label() + "/tucker").get("layers"));

        ObjectNode wall = s.putObject("wall_seconds");
        for (Iterator<Map.Entry<String, JsonNode>> it = completed.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            wall.put(e.getKey(), e.getValue().get("wall_seconds").asDouble());
        }
        return s;
    }
}
