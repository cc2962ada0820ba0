package org.rankfold.datasets.npy;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.rankfold.datasets.MalformedFileException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the .npy parser: any input either parses or fails with {@link MalformedFileException}; anything
 * else (another exception, an OutOfMemoryError, a hang) is a finding. What parses must survive a write and
 * a re-read unchanged. Seeds and past findings: {@code NpyFuzzTestInputs/parse/} in the test resources.
 * In a plain {@code mvn verify} only those inputs run; {@code JAZZER_FUZZ=1} fuzzes (see the module README).
 */
class NpyFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        NpyArray a;
        try {
            a = NpyFormat.parse(data, "fuzz.npy");
        } catch (MalformedFileException expected) {
            return;
        }
        NpyArray again = reparse(a);
        assertEquals(a.dtype(), again.dtype());
        assertArrayEquals(a.shape(), again.shape());
        assertArrayEquals(a.toLittleEndianBytes(), again.toLittleEndianBytes());
    }

    private static NpyArray reparse(NpyArray a) {
        try {
            return NpyFormat.parse(NpyFormat.toBytes(a), "again.npy");
        } catch (MalformedFileException e) {
            throw new AssertionError("what was read cannot be read back after writing: " + e.getMessage(), e);
        }
    }
}
