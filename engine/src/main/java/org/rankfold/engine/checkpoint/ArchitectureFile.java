package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.engine.nn.Module;

/**
 * An architecture file on its own: a checkpoint's {@code model.json} form (format tag, model name, input shape,
 * architecture tree), read with the checks a checkpoint's gets ({@link ArchitectureBounds}; parameters capped
 * at {@value #MAX_PARAMETERS} floats since no weights file bounds them), rebuilt with fresh weights. For
 * {@code --model FILE.json} and for summaries of a network before it is trained.
 *
 * @param model the rebuilt network
 * @param name  the model name the file records
 * @param input the input shape and classes it declares
 */
public record ArchitectureFile(Module model, String name, InputShape input) {
    /** The most parameter and buffer floats an architecture file may describe (512 MiB of float32). */
    public static final long MAX_PARAMETERS = 1L << 27;

    /**
     * Reads and rebuilds {@code file}, initial weights from seed 0; a defect is one {@link MalformedFileException}
     * naming the file and field.
     */
    public static ArchitectureFile read(Path file) throws IOException {
        return read(file, 0);
    }

    /** As {@link #read(Path)}, the initial weights drawn from {@code seed} (the same seed, the same network). */
    public static ArchitectureFile read(Path file, long seed) throws IOException {
        return parse(readBytes(file), file, seed);
    }

    /** The bytes of an architecture file, at most a checkpoint's model.json may hold (links followed). */
    public static byte[] readBytes(Path file) throws IOException {
        return RegularFiles.readBounded(file, CheckpointJson.MAX_FILE_BYTES, RegularFiles.Links.FOLLOW);
    }

    /**
     * Rebuilds the architecture of {@code bytes} (as read from {@code file}, which errors name) with the checks of
     * {@link #read(Path)}, initial weights from {@code seed}: a caller that keeps the bytes rebuilds the very
     * network it checked, whatever happens to the file later.
     */
    public static ArchitectureFile parse(byte[] bytes, Path file, long seed) throws IOException {
        CheckpointReader.ModelAndInput m = CheckpointReader.parseModel(bytes, file, MAX_PARAMETERS, seed);
        return new ArchitectureFile(m.model(), m.name(), m.input());
    }
}
