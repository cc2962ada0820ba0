package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Seeded structure-aware mutations of JSON seed files, for the bounded part of the fuzz tests that runs in
 * every build (Jazzer itself fuzzes only on demand, JAZZER_FUZZ=1): byte flips, deletions, duplications,
 * truncation, and numbers or tokens replaced by hostile ones (negative, 2^20 + 1, 2^31, 2^63, 1e308, NaN,
 * null, brackets, invalid UTF-8). Deterministic for a given seed.
 */
final class JsonMutations {
    private static final String[] TOKENS = {"-1", "0", "1048577", "2147483648", "9223372036854775808", "1e308", "-0.0",
        "\"NaN\"", "null", "true", "[", "]", "{", "}", "[]", "{}", "\"\"", "\"x\"", ",", ":", "[1,2,3,4,5,6,7,8,9]",
        "\"Conv2d\"", "\"BasicBlock\"", "\"Sequential\"", "\"FactorizedConv2d\"", "\"Linear\"", "\"children\":[]"};
    private static final byte[][] BAD_UTF8 = {{(byte) 0xff}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xe2, (byte) 0x82}};

    private JsonMutations() {
    }

    /** The bytes of a test resource next to {@code anchor}. */
    static byte[] resource(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code target} on {@code count} mutants of each seed (and on the seed itself). */
    static void run(List<byte[]> seeds, int count, SplittableRandom rng, Consumer<byte[]> target) {
        for (byte[] seed : seeds) {
            target.accept(seed);
            for (int i = 0; i < count; i++) {
                byte[] m = seed;
                int rounds = 1 + rng.nextInt(3);
                for (int r = 0; r < rounds; r++) {
                    m = mutate(m, rng);
                }
                target.accept(m);
            }
        }
    }

    static byte[] mutate(byte[] in, SplittableRandom rng) {
        if (in.length == 0) {
            return TOKENS[rng.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
        }
        int at = rng.nextInt(in.length);
        return switch (rng.nextInt(6)) {
            case 0 -> {
                byte[] out = in.clone();
                out[at] = (byte) rng.nextInt(256);
                yield out;
            }
            case 1 -> splice(in, at, Math.min(in.length, at + 1 + rng.nextInt(32)), new byte[0]);
            case 2 -> {
                int end = Math.min(in.length, at + 1 + rng.nextInt(256));
                yield splice(in, at, at, Arrays.copyOfRange(in, at, end));
            }
            case 3 -> Arrays.copyOf(in, at);
            case 4 -> splice(in, at, at, BAD_UTF8[rng.nextInt(BAD_UTF8.length)]);
            default -> replaceToken(in, at, rng);
        };
    }

    /** Replaces the number or word at or after {@code at} by a hostile token. */
    private static byte[] replaceToken(byte[] in, int at, SplittableRandom rng) {
        int start = at;
        while (start < in.length && !isTokenByte(in[start])) {
            start++;
        }
        int end = start;
        while (end < in.length && isTokenByte(in[end])) {
            end++;
        }
        byte[] token = TOKENS[rng.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
        return splice(in, start, end, token);
    }

    private static boolean isTokenByte(byte b) {
        return (b >= '0' && b <= '9') || b == '-' || b == '.' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '"';
    }

    private static byte[] splice(byte[] in, int from, int to, byte[] insert) {
        byte[] out = new byte[in.length - (to - from) + insert.length];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(in, to, out, from + insert.length, in.length - to);
        return out;
    }
}
