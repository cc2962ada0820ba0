/**
 * Deployment of trained and compressed models: {@link org.rankfold.engine.export.BatchNormFolding} (BN
 * folded into the preceding convolution for inference) and {@link org.rankfold.engine.export.OnnxExporter}
 * (ONNX, opset 17). The engine knows nothing of the command line; {@code rankfold export} calls these.
 *
 * <p><b>Why our own protobuf encoder ({@code ProtoWriter}) instead of protobuf-java.</b> protobuf-java is
 * only the runtime: the ONNX message classes would have to be generated from onnx.proto with protoc at
 * build time (a native tool and a build plugin), since no artifact on Maven Central publishes ONNX's
 * generated Java classes under the ONNX project's name. Writing is all we need, and the wire format for the
 * handful of messages and fields we emit (varints, length-delimited fields, one fixed32 for floats) is a
 * few hundred lines, tested byte for byte and checked end to end by ONNX Runtime in the tests. Reading
 * ONNX files is out of scope, so no parser (and no parser attack surface) exists here.
 */
package org.rankfold.engine.export;
