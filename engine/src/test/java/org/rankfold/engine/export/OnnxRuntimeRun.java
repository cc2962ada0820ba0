package org.rankfold.engine.export;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs an exported graph in ONNX Runtime, for the export tests and the layer contract test. */
public final class OnnxRuntimeRun {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OnnxRuntimeRun() {
    }

    /** A session on {@code onnx} with one compute thread (the machine is shared). */
    static OrtSession session(byte[] onnx) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            OrtSession session = ENV.createSession(onnx, options);
            assertEquals(List.of(OnnxExporter.OUTPUT), List.copyOf(session.getOutputNames()));
            return session;
        }
    }

    /** ONNX Runtime's logits for {@code x} (N, C, H, W), flattened. */
    static float[] logits(OrtSession session, float[] x, long... shape) throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), shape);
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, input))) {
            float[][] logits = (float[][]) result.get(0).getValue();
            float[] flat = new float[logits.length * logits[0].length];
            for (int i = 0; i < logits.length; i++) {
                System.arraycopy(logits[i], 0, flat, i * logits[0].length, logits[0].length);
            }
            return flat;
        }
    }

    /** ONNX Runtime's logits of graph {@code onnx} for {@code x} (N, C, H, W), flattened. */
    public static float[] logits(byte[] onnx, float[] x, long... shape) throws OrtException {
        try (OrtSession session = session(onnx)) {
            return logits(session, x, shape);
        }
    }
}
