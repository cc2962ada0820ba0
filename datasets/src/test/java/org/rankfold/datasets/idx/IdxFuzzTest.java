package org.rankfold.datasets.idx;

import java.io.IOException;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.rankfold.datasets.MalformedFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the IDX reader (raw and gzip): any input either parses or fails with {@link MalformedFileException}
 * (truncated gzip streams included); what parses reads back equal after writing, and pairs with itself as
 * an image file or a label file without any other exception. Seeds and past findings: {@code IdxFuzzTestInputs/parse/}.
 */
class IdxFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) throws IOException {
        IdxArray a;
        try {
            a = IdxFormat.parse(data, "fuzz-idx");
        } catch (MalformedFileException expected) {
            return;
        }
        assertEquals(a, IdxFormat.parse(IdxFormat.toBytes(a), "again"));
        try {
            IdxDatasets.combine("fuzz", a, "images", a, "labels", IdxDatasets.MNIST_CLASSES);
        } catch (MalformedFileException expected) {
            return;
        }
    }
}
