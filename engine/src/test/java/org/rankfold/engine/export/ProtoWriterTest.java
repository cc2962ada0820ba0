package org.rankfold.engine.export;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The wire format, byte for byte, against the examples of the protobuf encoding guide. */
class ProtoWriterTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void varintFields() {
        // The guide's example: field 1 = 150 is 08 96 01.
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().int64(1, 150).toByteArray());
        assertArrayEquals(bytes(0x08, 0x00), new ProtoWriter().int64(1, 0).toByteArray());
        // A negative int64 is its two's complement as ten bytes.
        assertArrayEquals(bytes(0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                new ProtoWriter().int64(2, -1).toByteArray());
        // Field 20 (AttributeProto.type) needs a two-byte key: (20 << 3) | 0 = 160.
        assertArrayEquals(bytes(0xA0, 0x01, 0x07), new ProtoWriter().int64(20, 7).toByteArray());
    }

    @Test
    void lengthDelimitedAndFloatFields() {
        // The guide's example: field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
        assertArrayEquals(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'), new ProtoWriter().string(2, "testing").toByteArray());
        // The guide's embedded message: field 3 holding {field 1 = 150} is 1a 03 08 96 01.
        assertArrayEquals(bytes(0x1A, 0x03, 0x08, 0x96, 0x01),
                new ProtoWriter().message(3, new ProtoWriter().int64(1, 150)).toByteArray());
        // 1.0f is 0x3F800000, little-endian after key (2 << 3) | 5.
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3F), new ProtoWriter().float32(2, 1.0f).toByteArray());
        byte[] big = new byte[300];
        byte[] encoded = new ProtoWriter().bytes(9, big).toByteArray();
        assertArrayEquals(bytes(0x4A, 0xAC, 0x02), java.util.Arrays.copyOf(encoded, 3), "length 300 as a two-byte varint");
    }

    @Test
    void fieldNumbersAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().int64(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().int64(1 << 29, 1));
    }
}
