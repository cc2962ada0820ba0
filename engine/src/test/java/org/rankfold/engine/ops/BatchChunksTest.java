package org.rankfold.engine.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchChunksTest {

    @Test
    void aBatchThatFitsOneChunkStaysOneChunk() {
        assertEquals(1, BatchChunks.count(3, 10, 1000));
        assertEquals(1, BatchChunks.count(128, 100, 12_800));
        assertEquals(0, BatchChunks.count(0, 10, 1000), "no images, no chunks");
    }

    @Test
    void chunkCountsAreMultiplesOfFourFilledEvenly() {
        // 128 images of which at most 37 fit a chunk: 4 chunks of 32, not 37 + 37 + 37 + 17
        int count = BatchChunks.count(128, 100, 3_700);
        assertEquals(4, count);
        for (int c = 0; c < count; c++) {
            assertEquals(32, BatchChunks.size(128, count, c));
        }
        // at most 9 per chunk: 15 chunks rounded up to 16 of 8
        assertEquals(16, BatchChunks.count(128, 100, 900));
        assertEquals(8, BatchChunks.largest(128, 16));
        // at most 74 per chunk: 2 chunks rounded up to 4
        assertEquals(4, BatchChunks.count(128, 100, 7_400));
    }

    @Test
    void chunksCoverTheBatchInOrderWithSizesWithinOne() {
        for (int images = 1; images <= 70; images++) {
            for (long most = 1; most <= images + 1; most++) {
                int count = BatchChunks.count(images, 1, most);
                assertTrue(count >= 1 && count <= images);
                assertTrue(count == 1 || count % BatchChunks.BALANCE == 0 || count == images,
                        images + " images, " + most + " per chunk: " + count);
                assertEquals(0, BatchChunks.start(images, count, 0));
                assertEquals(images, BatchChunks.start(images, count, count));
                int smallest = Integer.MAX_VALUE;
                int largest = 0;
                for (int c = 0; c < count; c++) {
                    int size = BatchChunks.size(images, count, c);
                    assertTrue(size <= most, "a chunk within the budget");
                    smallest = Math.min(smallest, size);
                    largest = Math.max(largest, size);
                }
                assertTrue(smallest >= 1 && largest - smallest <= 1, "even sizes");
                assertEquals(largest, BatchChunks.largest(images, count));
            }
        }
    }

    @Test
    void anImageLargerThanTheBudgetGoesAlone() {
        assertEquals(5, BatchChunks.count(5, 1_000_000, 10));
    }
}
