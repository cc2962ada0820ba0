package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.datasets.safetensors.SafetensorsWriter;
import org.rankfold.engine.nn.Dropout;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.Optimizer;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.TrainingState;

/**
 * Saves a checkpoint directory (docs/file-formats.md): {@code model.json}, {@code weights.safetensors},
 * {@code optimizer.safetensors} (when an optimizer is given) and {@code state.json}, which records the
 * SHA-256 of the other three.
 *
 * <p>Crash safety: the files are written into a fresh hidden sibling directory and forced to disk, the
 * directory is forced, then it replaces the target by renames: an existing target is first renamed to a
 * hidden ".old" sibling, the new directory renamed into place, the parent forced, and the old one deleted.
 * A crash leaves either the previous or the new checkpoint complete; in the window between the two
 * renames only the ".old" one exists, and {@link CheckpointReader#resolve} finds it. Leftovers of killed
 * saves of the same checkpoint are deleted once a new one is in place.
 *
 * <p>Only a checkpoint is ever replaced: an existing target that is not an empty directory or a directory
 * holding our {@code state.json} (format tag {@code rankfold-state}) is refused before anything is renamed
 * or deleted. Temporary and ".old" directories carry the writing process's PID in their names, and
 * {@link #removeLeftovers} deletes one only once that process is gone.
 */
public final class CheckpointWriter {
    private CheckpointWriter() {
    }

    /**
     * Writes a checkpoint of {@code model} to {@code dir}.
     *
     * @param optimizer its state is saved, or null for a weights-only checkpoint
     * @param train     the training loader (its seed and batch size are recorded), or null
     * @param config    the run's configuration, stored verbatim under "config" (may be null)
     */
    public static void save(Path dir, Module model, String modelName, InputShape input, TrainingState state,
                            Optimizer optimizer, DataLoader train, JsonNode config) throws IOException {
        save(dir, model, modelName, input, state, optimizer, train, config, train == null ? null : Preprocessing.of(train));
    }

    /**
     * As above, with the input preprocessing to record (normalization and class names, see
     * {@link Preprocessing}; null for none): compressed and decomposed checkpoints carry their source's.
     */
    public static void save(Path dir, Module model, String modelName, InputShape input, TrainingState state,
                            Optimizer optimizer, DataLoader train, JsonNode config, Preprocessing preprocessing)
            throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        requireReplaceable(target);
        Files.createDirectories(parent);
        String base = target.getFileName().toString();
        Path tmp = Files.createTempDirectory(parent, "." + base + ".tmp-" + OWN_PID + "-");
        try {
            Map<String, String> sums = new LinkedHashMap<>();
            sums.put(CheckpointFiles.MODEL, writeSynced(tmp.resolve(CheckpointFiles.MODEL),
                    CheckpointJson.bytes(modelJson(model, modelName, input))));
            sums.put(CheckpointFiles.WEIGHTS, writeSynced(tmp.resolve(CheckpointFiles.WEIGHTS),
                    SafetensorsWriter.toBytes(Weights.stateDict(model, state.step()), Map.of("format", "pt"))));
            if (optimizer != null) {
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put(OptimizerState.TYPE, OptimizerState.type(optimizer));
                meta.put("learning_rate", Double.toString(optimizer.learningRate()));
                sums.put(CheckpointFiles.OPTIMIZER, writeSynced(tmp.resolve(CheckpointFiles.OPTIMIZER),
                        SafetensorsWriter.toBytes(OptimizerState.tensors(optimizer, model), meta)));
            }
            writeSynced(tmp.resolve(CheckpointFiles.STATE), CheckpointJson.bytes(
                    stateJson(state, optimizer, train, model, config, sums, preprocessing)));
            force(tmp);
            Path old = null;
            if (Files.exists(target)) {
                old = parent.resolve("." + base + ".old-" + OWN_PID + "-" + Long.toUnsignedString(System.nanoTime(), 36));
                move(target, old);
            }
            move(tmp, target);
            force(parent);
            if (old != null) {
                deleteTree(old);
            }
            removeLeftovers(target);
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    /**
     * Tidies what saves of checkpoint {@code dir} left when they were killed: when {@code dir} is missing
     * because a save died between its two renames, the newest ".old" copy is renamed back into place;
     * then temporary directories (never read) and the remaining ".old" copies are deleted. Called after
     * every save and by the checkpoint listeners when training starts.
     */
    public static void removeLeftovers(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String base = target.getFileName().toString();
        if (!Files.exists(target)) {
            Path old = CheckpointReader.resolveOrNull(target);
            if (old != null) {
                move(old, target);
                force(parent);
            }
        }
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, "." + base + ".{old,tmp}-*")) {
            s.forEach(stale::add);
        }
        for (Path p : stale) {
            if (!ownerAlive(p.getFileName().toString(), base)) {
                deleteTree(p);
            }
        }
    }

    private static final long OWN_PID = ProcessHandle.current().pid();

    /**
     * Whether the leftover named {@code name} (".BASE.tmp-PID-..." or ".BASE.old-PID-...") belongs to a
     * process that is still running (this one included: its own save may be in flight on another thread).
     * Names without a PID come from older builds and are treated as abandoned.
     */
    static boolean ownerAlive(String name, String base) {
        String rest = name.substring(base.length() + 6); // "." + base + ".tmp-" or ".old-"
        int dash = rest.indexOf('-');
        if (dash <= 0) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(rest.substring(0, dash));
        } catch (NumberFormatException e) {
            return false;
        }
        return pid == OWN_PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Refuses a target that exists and is not one of our checkpoints (nor an empty directory): a save never
     * renames or deletes what it did not write.
     */
    static void requireReplaceable(Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileSystemException(target.toString(), null, "exists and is not a checkpoint directory (a file or"
                    + " link); refusing to replace it: choose another output path");
        }
        try (Stream<Path> s = Files.list(target)) {
            if (s.findAny().isEmpty()) {
                return;
            }
        }
        if (!isOurCheckpoint(target)) {
            throw new FileSystemException(target.toString(), null, "is not empty and is not a rankfold checkpoint (no "
                    + CheckpointFiles.STATE + " of format " + CheckpointFiles.STATE_FORMAT + "); refusing to replace it:"
                    + " choose a new or empty directory");
        }
    }

    /** A directory holding a regular state.json that carries our format tag (read bounded, links not followed). */
    public static boolean isOurCheckpoint(Path dir) {
        try {
            byte[] state = RegularFiles.readBounded(dir.resolve(CheckpointFiles.STATE), CheckpointJson.MAX_FILE_BYTES,
                    RegularFiles.Links.REFUSE);
            return new String(state, java.nio.charset.StandardCharsets.UTF_8).contains("\"" + CheckpointFiles.STATE_FORMAT + "\"")
                    && Files.isRegularFile(dir.resolve(CheckpointFiles.MODEL), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return false;
        }
    }

    static ObjectNode modelJson(Module model, String modelName, InputShape input) {
        ObjectNode root = CheckpointJson.object();
        root.put("format", CheckpointFiles.MODEL_FORMAT);
        root.put("version", CheckpointFiles.VERSION);
        root.put("model", modelName);
        ObjectNode in = root.putObject("input");
        in.put("channels", input.channels());
        in.put("height", input.height());
        in.put("width", input.width());
        in.put("classes", input.classes());
        root.set("architecture", ModelJson.describe("", model));
        return root;
    }

    private static ObjectNode stateJson(TrainingState state, Optimizer optimizer, DataLoader train, Module model,
                                        JsonNode config, Map<String, String> sums, Preprocessing preprocessing) {
        ObjectNode s = CheckpointJson.object();
        s.put("format", CheckpointFiles.STATE_FORMAT);
        s.put("version", CheckpointFiles.VERSION);
        s.put("epoch", state.epochsDone());
        s.put("step", state.step());
        ObjectNode rng = s.putObject("rng");
        rng.put("algorithm", "SplitMix64 (java.util.SplittableRandom), one stream per (seed, epoch) and (seed, epoch, image)");
        long dropouts = model.namedModules().values().stream().filter(m -> m instanceof Dropout d && d.p() > 0).count();
        rng.put("data_loader_seed", train == null ? 0 : train.options().seed());
        rng.put("unsaved_dropout_generators", dropouts);
        ObjectNode loader = s.putObject("data_loader");
        if (train != null) {
            loader.put("seed", train.options().seed());
            loader.put("batch_size", train.options().batchSize());
            loader.put("shuffle", train.options().shuffle());
            loader.put("drop_last", train.options().dropLast());
            loader.put("images", train.dataset().size());
        }
        loader.put("next_epoch", state.epochsDone());
        loader.put("next_batch", 0);
        ObjectNode opt = s.putObject("optimizer");
        if (optimizer != null) {
            opt.put("file", CheckpointFiles.OPTIMIZER);
            opt.put("type", OptimizerState.type(optimizer));
            opt.put("learning_rate", optimizer.learningRate());
        }
        ArrayNode history = s.putArray("history");
        for (EpochResult r : state.history()) {
            ObjectNode h = history.addObject();
            h.put("epoch", r.epoch());
            CheckpointJson.putNumber(h, "train_loss", r.trainLoss());
            CheckpointJson.putNumber(h, "train_acc", r.trainAccuracy());
            CheckpointJson.putNumber(h, "test_loss", r.testLoss());
            CheckpointJson.putNumber(h, "test_acc", r.testAccuracy());
            CheckpointJson.putNumber(h, "lr", r.learningRate());
            CheckpointJson.putNumber(h, "seconds", r.seconds());
        }
        if (config != null) {
            s.set("config", config.deepCopy());
        }
        if (preprocessing != null) {
            s.set("preprocessing", preprocessing.toJson());
        }
        ObjectNode files = s.putObject("files");
        sums.forEach((k, v) -> files.putObject(k).put("sha256", v));
        return s;
    }

    /** Writes {@code bytes} to a new file, forces it to disk; returns its SHA-256. */
    private static String writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            // A full disk or an I/O error: name the file (the JDK's message does not); the previous checkpoint is untouched.
            throw new FileSystemException(file.toString(), null, e.getMessage());
        }
        return Sha256.hex(bytes);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically (" + e.getMessage() + ")", e);
        }
    }

    /** Forces a directory's entries to disk where the platform allows opening a directory (not Windows). */
    private static void force(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not supported on this platform: the renames are still atomic, only their durability is weaker.
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
