package org.rankfold.datasets.cifar;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.rankfold.datasets.MalformedFileException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Fuzzes the CIFAR-10 batch parser: any input either parses or fails with {@link MalformedFileException};
 * what parses is written back byte for byte. Seeds and past findings: {@code Cifar10FuzzTestInputs/parse/}.
 */
class Cifar10FuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        Cifar10Format.Records b;
        try {
            b = Cifar10Format.parse(data, "fuzz.bin");
        } catch (MalformedFileException expected) {
            return;
        }
        assertArrayEquals(data, Cifar10Format.toBytes(b.labels(), b.pixels()));
    }
}
