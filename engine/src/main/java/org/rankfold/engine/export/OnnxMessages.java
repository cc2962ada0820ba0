package org.rankfold.engine.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The few ONNX messages the exporter writes, encoded with {@link ProtoWriter}. Field numbers and enum values
 * are those of onnx.proto (the ONNX IR specification, github.com/onnx/onnx, onnx/onnx.proto); each constant
 * names its message and field.
 */
final class OnnxMessages {
    // ModelProto
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_PRODUCER_VERSION = 3;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    // OperatorSetIdProto
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    // AttributeProto and its AttributeType enum
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_TYPE_FLOAT = 1;
    private static final int ATTR_TYPE_INT = 2;
    private static final int ATTR_TYPE_INTS = 7;
    // TensorProto and its DataType enum
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    static final int DATA_TYPE_FLOAT = 1;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TENSOR_TYPE_ELEM_TYPE = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    private OnnxMessages() {
    }

    /** An INT attribute. */
    static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(ATTR_NAME, name).int64(ATTR_I, value).int64(ATTR_TYPE, ATTR_TYPE_INT);
    }

    /** An INTS attribute. */
    static ProtoWriter intsAttribute(String name, long... values) {
        ProtoWriter w = new ProtoWriter().string(ATTR_NAME, name);
        for (long v : values) {
            w.int64(ATTR_INTS, v);
        }
        return w.int64(ATTR_TYPE, ATTR_TYPE_INTS);
    }

    /** A FLOAT attribute. */
    static ProtoWriter floatAttribute(String name, float value) {
        return new ProtoWriter().string(ATTR_NAME, name).float32(ATTR_F, value).int64(ATTR_TYPE, ATTR_TYPE_FLOAT);
    }

    /** A node of the default domain; an empty input name marks an omitted optional input. */
    static ProtoWriter node(String name, String opType, String[] inputs, String[] outputs, ProtoWriter... attributes) {
        ProtoWriter w = new ProtoWriter();
        for (String in : inputs) {
            w.string(NODE_INPUT, in);
        }
        for (String out : outputs) {
            w.string(NODE_OUTPUT, out);
        }
        w.string(NODE_NAME, name).string(NODE_OP_TYPE, opType);
        for (ProtoWriter a : attributes) {
            w.message(NODE_ATTRIBUTE, a);
        }
        return w;
    }

    /** A float32 tensor (an initializer): dims, then the values as little-endian raw_data. */
    static ProtoWriter floatTensor(String name, int[] shape, float[] values) {
        ProtoWriter w = new ProtoWriter();
        for (int d : shape) {
            w.int64(TENSOR_DIMS, d);
        }
        w.int64(TENSOR_DATA_TYPE, DATA_TYPE_FLOAT).string(TENSOR_NAME, name);
        ByteBuffer raw = ByteBuffer.allocate(Math.multiplyExact(values.length, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return w.bytes(TENSOR_RAW_DATA, raw.array());
    }

    /**
     * A float32 tensor value description: each dimension is a fixed size, or, where {@code params} has a
     * non-null entry, a symbolic one of that name (a dynamic batch dimension).
     */
    static ProtoWriter floatValueInfo(String name, int[] dims, String[] params) {
        ProtoWriter shape = new ProtoWriter();
        for (int i = 0; i < dims.length; i++) {
            ProtoWriter dim = new ProtoWriter();
            if (params[i] != null) {
                dim.string(DIM_PARAM, params[i]);
            } else {
                dim.int64(DIM_VALUE, dims[i]);
            }
            shape.message(SHAPE_DIM, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().int64(TENSOR_TYPE_ELEM_TYPE, DATA_TYPE_FLOAT).message(TENSOR_TYPE_SHAPE, shape);
        ProtoWriter type = new ProtoWriter().message(TYPE_TENSOR_TYPE, tensorType);
        return new ProtoWriter().string(VALUE_INFO_NAME, name).message(VALUE_INFO_TYPE, type);
    }

    /** A graph: nodes in topological order, initializers, inputs and outputs. */
    static ProtoWriter graph(String name, Iterable<ProtoWriter> nodes, Iterable<ProtoWriter> initializers,
                             Iterable<ProtoWriter> inputs, Iterable<ProtoWriter> outputs) {
        ProtoWriter w = new ProtoWriter();
        nodes.forEach(n -> w.message(GRAPH_NODE, n));
        w.string(GRAPH_NAME, name);
        initializers.forEach(t -> w.message(GRAPH_INITIALIZER, t));
        inputs.forEach(v -> w.message(GRAPH_INPUT, v));
        outputs.forEach(v -> w.message(GRAPH_OUTPUT, v));
        return w;
    }

    /** A model of one graph importing the default operator set at {@code opset}. */
    static byte[] model(long irVersion, String producer, String producerVersion, int opset, ProtoWriter graph) {
        ProtoWriter opsetId = new ProtoWriter().string(OPSET_DOMAIN, "").int64(OPSET_VERSION, opset);
        return new ProtoWriter().int64(MODEL_IR_VERSION, irVersion).string(MODEL_PRODUCER_NAME, producer)
                .string(MODEL_PRODUCER_VERSION, producerVersion).message(MODEL_GRAPH, graph)
                .message(MODEL_OPSET_IMPORT, opsetId).toByteArray();
    }
}
