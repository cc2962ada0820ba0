package org.rankfold.datasets.loader;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.rankfold.datasets.Dataset;

/**
 * Batches of a dataset for training and evaluation: seeded shuffling per epoch, batching, augmentation
 * and normalization, with the next batch prepared on a background thread.
 *
 * <p>Determinism: batch {@code b} of epoch {@code e} is a pure function of (dataset, options, e, b). The
 * epoch's order is a Fisher-Yates permutation drawn from {@code SplittableRandom(mix(seed, e))}; the
 * augmentation of the image at position {@code p} of the epoch draws from its own
 * {@code SplittableRandom(mix(mix(seed, e), p))}. So prefetching (on or off, whatever the timing) and
 * resuming at any (epoch, batch) give bit-identical batches.
 */
public final class DataLoader implements AutoCloseable {
    private final Dataset data;
    private final LoaderOptions options;
    private final ExecutorService prefetcher;
    /** Arrays handed back by {@link #recycle(Batch)}, reused for later batches of the same size. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Batch> pool = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final int MAX_POOLED = 4;

    public DataLoader(Dataset data, LoaderOptions options) {
        if (options.normalization().channels() != data.channels()) {
            throw new IllegalArgumentException("normalization has " + options.normalization().channels()
                    + " channels, " + data.name() + " has " + data.channels());
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException(data.name() + " holds no images");
        }
        this.data = data;
        this.options = options;
        this.prefetcher = options.prefetch() ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rankfold-prefetch-" + data.name());
            t.setDaemon(true);
            return t;
        }) : null;
    }

    public Dataset dataset() {
        return data;
    }

    public LoaderOptions options() {
        return options;
    }

    /** Batches per epoch: ceil(N / batch), or floor when the last partial batch is dropped. */
    public int batchesPerEpoch() {
        int n = data.size();
        int b = options.batchSize();
        // In long arithmetic: with a batch near Integer.MAX_VALUE, n + b - 1 overflowed to zero batches.
        return options.dropLast() ? n / b : (int) (((long) n + b - 1) / b);
    }

    /** The order in which epoch {@code epoch} visits the images (identity when shuffling is off). */
    public int[] order(int epoch) {
        int n = data.size();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        if (options.shuffle()) {
            SplittableRandom rng = new SplittableRandom(epochSeed(epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        }
        return p;
    }

    /** Iterates over epoch {@code epoch} from its first batch. */
    public Epoch epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /** Iterates over epoch {@code epoch} from batch {@code firstBatch} (resume). Close it when done early. */
    public Epoch epoch(int epoch, int firstBatch) {
        if (epoch < 0 || firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("no batch " + firstBatch + " of epoch " + epoch + " (" + batchesPerEpoch() + " per epoch)");
        }
        return new Epoch(epoch, firstBatch, order(epoch));
    }

    /** Batch {@code index} of {@code epoch}, computed directly (what the iterator returns at that step). */
    public Batch batch(int epoch, int index) {
        return build(epoch, index, order(epoch));
    }

    private Batch build(int epoch, int index, int[] order) {
        int b = options.batchSize();
        int start = index * b;
        int n = Math.min(b, data.size() - start);
        int c = data.channels();
        int per = data.imageSize();
        int plane = data.height() * data.width();
        // every element of both arrays is overwritten below, so a recycled batch's old content cannot leak
        Batch reuse = takePooled(n);
        float[] images = reuse != null ? reuse.images() : new float[Math.multiplyExact(n, per)];
        int[] labels = reuse != null ? reuse.labels() : new int[n];
        float[] scratch = options.augmentation().isIdentity() ? null : new float[per];
        long seed = epochSeed(epoch);
        for (int i = 0; i < n; i++) {
            int src = order[start + i];
            labels[i] = data.label(src);
            data.copyImage(src, images, i * per);
            if (scratch != null) {
                SplittableRandom rng = new SplittableRandom(mix(seed, start + i));
                options.augmentation().applyInPlace(images, i * per, c, data.height(), data.width(), rng, scratch);
            }
            options.normalization().applyInPlace(images, i * per, c, plane);
        }
        return new Batch(epoch, index, images, labels, c, data.height(), data.width());
    }

    /**
     * Hands a batch's arrays back for reuse by a later batch of the same size, so that a steady-state
     * training loop allocates no new batch arrays. The caller must not touch {@code batch} afterwards.
     */
    public void recycle(Batch batch) {
        if (batch.channels() == data.channels() && batch.height() == data.height() && batch.width() == data.width()
                && pool.size() < MAX_POOLED && pool.stream().noneMatch(b -> b.images() == batch.images())) {
            // the identity check makes a double recycle harmless: two later batches never share arrays
            pool.add(batch);
        }
    }

    private Batch takePooled(int n) {
        for (java.util.Iterator<Batch> it = pool.iterator(); it.hasNext(); ) {
            Batch b = it.next();
            if (b.size() == n && pool.remove(b)) {
                return b;
            }
        }
        return null;
    }

    private long epochSeed(int epoch) {
        return mix(options.seed(), epoch);
    }

    /** Stafford's variant 13 of the SplitMix64 finalizer over {@code a + golden * (b + 1)}: independent streams per key. */
    static long mix(long a, long b) {
        long z = a + 0x9E3779B97F4A7C15L * (b + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Stops the prefetch thread. */
    @Override
    public void close() {
        if (prefetcher != null) {
            prefetcher.shutdownNow();
        }
    }

    /** The batches of one epoch in order; with prefetching, the next batch is built while this one is used. */
    public final class Epoch implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private int next;
        private Future<Batch> pending;

        private Epoch(int epoch, int firstBatch, int[] order) {
            this.epoch = epoch;
            this.order = order;
            this.next = firstBatch;
            schedule();
        }

        private void schedule() {
            if (prefetcher != null && next < batchesPerEpoch()) {
                int index = next;
                pending = prefetcher.submit(() -> build(epoch, index, order));
            } else {
                pending = null;
            }
        }

        /** Index of the batch {@link #next()} returns. */
        public int nextIndex() {
            return next;
        }

        @Override
        public boolean hasNext() {
            return next < batchesPerEpoch();
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch " + epoch + " has " + batchesPerEpoch() + " batches");
            }
            Batch b = pending == null ? build(epoch, next, order) : await(pending);
            next++;
            schedule();
            return b;
        }

        private Batch await(Future<Batch> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for batch " + next + " of epoch " + epoch, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("building batch " + next + " of epoch " + epoch + " failed", e.getCause());
            }
        }

        @Override
        public Iterator<Batch> iterator() {
            return this;
        }

        /** Abandons a prefetched batch, if any. */
        @Override
        public void close() {
            if (pending != null) {
                pending.cancel(true);
                pending = null;
            }
        }
    }
}
