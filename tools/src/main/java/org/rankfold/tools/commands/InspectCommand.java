package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.rankfold.datasets.inspect.FileInspector;
import org.rankfold.datasets.inspect.FileReport;
import org.rankfold.tools.UserError;
import org.rankfold.tools.inspect.CheckpointInspector;

import org.rankfold.engine.checkpoint.ArchitectureFile;
import org.rankfold.tools.inspect.ModelSummary;
import org.rankfold.tools.options.JsonOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `rankfold inspect`: what a checkpoint, .npy, .npz, safetensors, IDX or CIFAR file holds. Data files are
 * described by {@link FileInspector}; a malformed one raises MalformedFileException, which the CLI turns
 * into one line and exit code 2. Checkpoint directories get their own branch in {@link #call()}.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "What a checkpoint, .npy, .npz, safetensors, IDX or CIFAR file holds; a summary of a zoo model or an architecture file before training.",
        footer = {"", "Examples (run from the repository, after ./rankfold compress, which writes runs/fashionnet-quick):",
                "  ./rankfold inspect datasets/src/main/resources/org/rankfold/datasets/sample/t10k-labels-idx1-ubyte.gz",
                "  ./rankfold inspect testdata/golden/trained_kernels.npz --json",
                "  ./rankfold inspect runs/fashionnet-quick/checkpoints/baseline",
                "  ./rankfold inspect resnet20",
                "  ./rankfold inspect runs/fashionnet-quick/checkpoints/full-finetune/model.json"})
public final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH", description = "A checkpoint directory, a data file, a zoo model name or an architecture file (model.json form): its layers, output shapes, params and MACs.")
    Path path;

    @Spec
    CommandSpec spec;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(path) && ModelSummary.isZooModel(path.toString())) {
            print(ModelSummary.zoo(path.toString()));
            return 0;
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".json")) {
            ArchitectureFile a = ArchitectureFile.read(path);
            print(ModelSummary.of(path.toString(), "architecture file of '" + a.name() + "'", a.model(), a.input()));
            return 0;
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (Files.isDirectory(path)) {
            return inspectCheckpoint(path);
        }
        print(FileInspector.inspect(path));
        return 0;
    }

    private int inspectCheckpoint(Path dir) throws IOException {
        if (!CheckpointInspector.accepts(dir)) {
            throw new UserError(dir + " is a directory but not a checkpoint (no model.json and state.json) nor a run directory"
                    + " with best/ or checkpoint/");
        }
        print(CheckpointInspector.inspect(dir));
        return 0;
    }

    private void print(FileReport report) throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        if (!jsonOption.json()) {
            report.render().forEach(out::println);
            out.flush();
            return;
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("file", report.path());
        root.put("format", report.format());
        ObjectNode facts = root.putObject("facts");
        report.facts().forEach(f -> facts.put(f.getKey(), f.getValue()));
        ArrayNode rows = root.putArray("rows");
        List<String> header = report.table().header();
        for (List<String> r : report.table().rows()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), r.get(c));
            }
            rows.add(mapper.valueToTree(row));
        }
        ArrayNode warnings = root.putArray("warnings");
        report.warnings().forEach(warnings::add);
        out.println(mapper.writeValueAsString(root));
        out.flush();
    }
}
