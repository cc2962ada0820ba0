package org.rankfold.datasets.safetensors;

import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.npy.NpyArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the safetensors reader: any input either parses or fails with {@link MalformedFileException};
 * what parses survives a write and a re-read with the same tensors and metadata. Seeds and past findings:
 * {@code SafetensorsFuzzTestInputs/parse/}.
 */
class SafetensorsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        Safetensors.Contents c;
        try {
            c = Safetensors.parse(data, "fuzz.safetensors");
        } catch (MalformedFileException expected) {
            return;
        }
        Safetensors.Contents again;
        try {
            again = Safetensors.parse(SafetensorsWriter.toBytes(c.tensors(), c.header().metadata()), "again");
        } catch (MalformedFileException e) {
            throw new AssertionError("what was read cannot be read back after writing: " + e.getMessage(), e);
        }
        assertEquals(c.header().metadata(), again.header().metadata());
        assertEquals(c.tensors().keySet(), again.tensors().keySet());
        for (Map.Entry<String, NpyArray> e : c.tensors().entrySet()) {
            NpyArray b = again.tensors().get(e.getKey());
            assertEquals(e.getValue().dtype(), b.dtype());
            assertArrayEquals(e.getValue().shape(), b.shape());
            assertArrayEquals(e.getValue().toLittleEndianBytes(), b.toLittleEndianBytes());
        }
    }
}
