package org.rankfold.engine.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal Protocol Buffers encoder: the wire format of the protobuf encoding guide
 * (protobuf.dev/programming-guides/encoding). A field is a key {@code (number << 3) | wireType} as a base-128
 * varint followed by its value: wire type 0 (VARINT) for int32/int64/enum, wire type 2 (LEN) for strings,
 * bytes and embedded messages (a varint length, then the bytes), wire type 5 (I32) for float.
 *
 * <p>Fields are written in call order; repeated scalars are written unpacked (one key per element), as
 * proto2 files such as onnx.proto declare them, and every protobuf parser accepts that form. Negative
 * int64 values take ten bytes (two's complement as an unsigned varint), as the format prescribes.
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int LEN = 2;
    private static final int I32 = 5;

    private final Buffer out = new Buffer();

    /** A byte buffer that can append itself to another without an intermediate array. */
    private static final class Buffer extends ByteArrayOutputStream {
        void appendTo(ByteArrayOutputStream target) {
            target.write(buf, 0, count);
        }
    }

    /** An int32, int64 or enum field. */
    ProtoWriter int64(int field, long value) {
        key(field, VARINT);
        varint(value);
        return this;
    }

    /** A float field (little-endian IEEE 754). */
    ProtoWriter float32(int field, float value) {
        key(field, I32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    /** A string field (UTF-8). */
    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bytes field. */
    ProtoWriter bytes(int field, byte[] value) {
        key(field, LEN);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** An embedded message field (its bytes are copied straight from its buffer, not through an array). */
    ProtoWriter message(int field, ProtoWriter message) {
        key(field, LEN);
        varint(message.out.size());
        message.out.appendTo(out);
        return this;
    }

    /** The encoded message. */
    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        if (field < 1 || field > (1 << 29) - 1) {
            throw new IllegalArgumentException("protobuf field number out of range: " + field);
        }
        varint(((long) field << 3) | wireType);
    }

    /** Base-128 varint: seven bits per byte, least significant group first, high bit set on all but the last. */
    private void varint(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
