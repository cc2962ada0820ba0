package org.rankfold.tools.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.rankfold.tools.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults {@code --config FILE} gives a command: each setting of the saved run becomes the default of the
 * option of the same name ({@code limit_train} -> {@code --limit-train}; {@code batch_size} -> {@code --batch},
 * {@code learning_rate} -> {@code --lr}, {@code linear: false} -> {@code --no-linear}), so that options given
 * on the command line win. A compress run's recorded data set ({@code data.dataset}) becomes {@code --data} again. A
 * recorded {@code reuse_training} that is not an absolute path (an exported sweep's {@code SWEEP/CELL}) is
 * informational and left out. A run on an architecture file gives {@code --model} the run's copy of it. Settings that mean "none" (an unlimited rank, a target ratio of 0) and settings no
 * option takes (the machine, the data set's description) are left out. The file is read before the command
 * line is parsed ({@link #install}).
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    /** A config file larger than this is not a saved configuration. */
    static final long MAX_BYTES = 1 << 20;
    private final Map<String, String> byOption;

    private ConfigDefaults(Map<String, String> byOption) {
        this.byOption = byOption;
    }

    /**
     * When {@code args} run train or compress with {@code --config FILE}, reads FILE and makes its settings the
     * defaults of that command; a bad file is a UserError naming it.
     */
    public static void install(CommandLine root, String[] args) {
        if (args.length == 0 || !List.of("train", "compress").contains(args[0])) {
            return;
        }
        String file = null;
        String resume = null;
        String out = null;
        for (int i = 1; i < args.length; i++) {
            String next = i + 1 < args.length ? args[i + 1] : null;
            if (args[i].equals("--config") && next != null) {
                file = next;
            } else if (args[i].startsWith("--config=")) {
                file = args[i].substring("--config=".length());
            } else if (args[i].equals("--resume")) {
                resume = next != null && !next.startsWith("-") ? next : "";
            } else if (args[i].startsWith("--resume=")) {
                resume = args[i].substring("--resume=".length());
            } else if (args[i].equals("--out") && next != null) {
                out = next;
            } else if (args[i].startsWith("--out=")) {
                out = args[i].substring("--out=".length());
            }
        }
        CommandLine cmd = root.getSubcommands().get(args[0]);
        // compress --resume RUN continues with RUN's settings: its config.json gives the defaults, as a train
        // run's saved settings do for train --resume. Only a regular file (no link) that reads as settings is
        // taken; anything else is left to the resume's own checks, which name the defect.
        if (file == null && resume != null && args[0].equals("compress")) {
            String run = resume.isEmpty() ? out : resume;
            Path saved = run == null ? null : Path.of(run, "config.json");
            if (saved != null && Files.isRegularFile(saved, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try {
                    cmd.setDefaultValueProvider(read(saved, cmd.getCommandSpec()));
                } catch (UserError ignored) {
                    // not a configuration we can use: the pipeline's reader reports it
                }
            }
            return;
        }
        if (file == null) {
            return;
        }
        cmd.setDefaultValueProvider(read(Path.of(file), cmd.getCommandSpec()));
    }

    static ConfigDefaults read(Path file, CommandLine.Model.CommandSpec spec) {
        JsonNode n;
        try {
            if (!Files.isRegularFile(file)) {
                throw new UserError("--config " + file + ": no such file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new UserError("--config " + file + ": larger than " + MAX_BYTES + " bytes; not a saved configuration");
            }
            n = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError("--config " + file + ": not a JSON configuration (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")");
        }
        if (n == null || !n.isObject()) {
            throw new UserError("--config " + file + ": expected a JSON object");
        }
        JsonNode settings = n.path("config").isObject() ? n.get("config") : n; // rankfold-run.json, state.json
        Map<String, String> map = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : settings.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            String option = switch (key) {
                case "batch_size" -> "--batch";
                case "learning_rate" -> "--lr";
                case "linear" -> "--no-linear";
                default -> "--" + key.replace('_', '-');
            };
            OptionSpec o = spec.findOption(option);
            if (o != null && key.equals("data") && v.isObject()) {
                // a compress run records its data set as a description: read it again from where it was
                String data = org.rankfold.tools.train.RunData.specOf(v.path("dataset").asText(""));
                if (data != null) {
                    map.put(option, data);
                }
                continue;
            }
            if (o == null || v.isObject() || v.isNull()) {
                continue;
            }
            if (key.equals("reuse_training") && !isAbsolutePath(v.asText())) {
                // an exported sweep writes its directory as SWEEP (docs/sweeps.md): the record says where the trained
                // phases came from, it is no run directory to copy them from, so the phases are trained again
                continue;
            }
            if (key.equals("val_split") && v.isNumber() && v.asLong() < 0) {
                map.put(option, "auto"); // saved as -1
            } else if (key.equals("linear")) {
                map.put(option, Boolean.toString(!v.asBoolean()));
            } else if (v.isArray()) {
                List<String> items = new java.util.ArrayList<>();
                v.forEach(x -> items.add(x.asText()));
                map.put(option, String.join(",", items));
            } else if (v.isNumber() && (v.asLong() == Integer.MAX_VALUE || (key.startsWith("target_") && v.asDouble() == 0))) {
                continue; // "none": the option's own default says so
            } else {
                map.put(option, v.asText());
            }
        }
        architecture(file, settings).ifPresent(a -> {
            if (spec.findOption("--model") != null) {
                map.put("--model", a);
            }
        });
        if (map.isEmpty()) {
            throw new UserError("--config " + file + ": no setting of '" + spec.name() + "' in it");
        }
        return new ConfigDefaults(map);
    }

    /**
     * A run on an architecture file records its copy ({@code architecture}, a name inside the run directory): that
     * file beside the configuration, or, for a checkpoint's state.json, the checkpoint's own model.json (the same
     * architecture). The name must be a plain file name, so a configuration cannot point outside its directory.
     */
    private static java.util.Optional<String> architecture(Path file, JsonNode settings) {
        String name = settings.path("architecture").asText("");
        if (name.isEmpty()) {
            return java.util.Optional.empty();
        }
        if (!name.matches("[A-Za-z0-9_.-]{1,100}") || name.startsWith(".")) {
            throw new UserError("--config " + file + ": 'architecture' must be a file name in the run directory, got '"
                    + name + "'");
        }
        Path dir = file.toAbsolutePath().getParent();
        Path beside = dir.resolve(name);
        Path model = dir.resolve("model.json");
        if (!Files.isRegularFile(beside) && Files.isRegularFile(model)) {
            return java.util.Optional.of(model.toString());
        }
        return java.util.Optional.of(beside.toString());
    }

    private static boolean isAbsolutePath(String s) {
        try {
            return Path.of(s).isAbsolute();
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        return arg instanceof OptionSpec o ? byOption.get(o.longestName()) : null;
    }
}
