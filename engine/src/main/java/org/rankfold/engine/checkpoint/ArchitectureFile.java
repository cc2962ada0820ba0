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

    /** Reads and rebuilds {@code file}; a defect is one {@link MalformedFileException} naming the file and field. */
    public static ArchitectureFile read(Path file) throws IOException {
        byte[] bytes = RegularFiles.readBounded(file, CheckpointJson.MAX_FILE_BYTES, RegularFiles.Links.FOLLOW);
        CheckpointReader.ModelAndInput m = CheckpointReader.parseModel(bytes, file, MAX_PARAMETERS);
        return new ArchitectureFile(m.model(), m.name(), m.input());
    }
}
