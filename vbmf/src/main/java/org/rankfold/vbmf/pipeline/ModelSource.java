package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.io.AtomicFiles;
import org.rankfold.engine.checkpoint.ArchitectureFile;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.zoo.ModelZoo;

/**
 * The network a compression run trains: a zoo model by name, or an architecture file in the form of a checkpoint's
 * {@code model.json} ({@link ArchitectureFile}, checked with the same bounds). The file's bytes are read once and
 * kept: every model of the run (baseline, each variant's training) is rebuilt from the bytes that were checked. The
 * run directory gets a copy ({@value #FILE_NAME}) and config.json its SHA-256 ({@code architecture},
 * {@code architecture_sha256}), so that a resume, a reuse of the training, {@code --config} and {@code verify} need
 * only the run directory, and a resume with another architecture is refused like any other changed setting.
 */
public final class ModelSource {
    /** The copy of the architecture file in the run directory. */
    public static final String FILE_NAME = "architecture.json";

    private final String name;
    private final Path file;
    private final byte[] bytes;
    private final InputShape declared;
    private final String sha256;

    private ModelSource(String name, Path file, byte[] bytes, InputShape declared) {
        this.name = name;
        this.file = file;
        this.bytes = bytes;
        this.declared = declared;
        this.sha256 = bytes == null ? null : RunIntegrity.digest(bytes);
    }

    /** {@code model} as given to {@code --model}: a {@code .json} file is an architecture, anything else a zoo name. */
    public static ModelSource of(String model) throws IOException {
        return model.toLowerCase(Locale.ROOT).endsWith(".json") ? file(Path.of(model)) : zoo(model);
    }

    /** The zoo model {@code name}; an unknown name is an IllegalArgumentException listing the known ones. */
    public static ModelSource zoo(String name) {
        if (!ModelZoo.names().contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", ModelZoo.names())
                    + ", or FILE.json (an architecture in model.json form)");
        }
        return new ModelSource(name, null, null, null);
    }

    /** The architecture in {@code file}, read and checked now (a defect is one line naming the file and field). */
    public static ModelSource file(Path file) throws IOException {
        byte[] bytes = ArchitectureFile.readBytes(file);
        ArchitectureFile a = ArchitectureFile.parse(bytes, file, 0);
        return new ModelSource(a.name(), file, bytes, a.input());
    }

    /** The model's name: the zoo name, or the name the architecture file records (config.json's {@code model}). */
    public String name() {
        return name;
    }

    /** True for an architecture file. */
    public boolean isFile() {
        return bytes != null;
    }

    /** A short name for a run directory: the zoo name, or the architecture file's name without {@code .json}. */
    public String label() {
        if (file == null) {
            return name;
        }
        String f = file.getFileName().toString();
        return f.substring(0, f.length() - ".json".length());
    }

    /**
     * A fresh network for data of shape {@code input}, initial weights from {@code seed} (the same seed, the same
     * network). An architecture file must declare exactly the data's input.
     */
    public Module create(InputShape input, long seed) throws IOException {
        checkInput(input);
        return bytes == null ? input.createZooModel(name, seed) : ArchitectureFile.parse(bytes, file, seed).model();
    }

    /** Refuses data whose shape the architecture file does not declare (one line naming the file). */
    public void checkInput(InputShape input) {
        if (declared != null && !declared.equals(input)) {
            throw new IllegalArgumentException("--model " + file + " takes " + declared.describe() + " but the data gives "
                    + input.describe());
        }
    }

    /** Adds {@code architecture} and {@code architecture_sha256} to config.json's settings (an architecture file only). */
    void record(ObjectNode config) {
        if (bytes != null) {
            config.put("architecture", FILE_NAME);
            config.put("architecture_sha256", sha256);
        }
    }

    /** Writes the architecture into the run directory (an architecture file only; unchanged when it is there already). */
    void copyInto(RunDirectory run) throws IOException {
        if (bytes == null) {
            return;
        }
        Path copy = run.root().resolve(FILE_NAME);
        if (Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(bytes, ArchitectureFile.readBytes(copy))) {
            return;
        }
        AtomicFiles.write(copy, out -> out.write(bytes));
    }
}
