package org.rankfold.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.datasets.loader.LoaderOptions;
import org.rankfold.datasets.loader.Normalization;
import org.rankfold.engine.train.Synthetic;
import org.rankfold.engine.train.TrainingState;

/** A training checkpoint records how its inputs were prepared; an older one has nothing; a bad record is named. */
class PreprocessingTest {
    private static final InputShape IN = new InputShape(1, 8, 8, 3);

    @Test
    void aTrainingLoadersNormalizationAndClassNamesAreStored(@TempDir Path dir) throws IOException {
        Dataset data = Synthetic.dataset("pre", 6, 1);
        Normalization n = new Normalization(new float[] {0.25f}, new float[] {0.5f});
        try (DataLoader train = new DataLoader(data, LoaderOptions.training(2, 1, n))) {
            CheckpointWriter.save(dir.resolve("a"), IN.createZooModel("resnet20", 1), "resnet20", IN, TrainingState.initial(),
                    null, train, null);
        }
        Preprocessing p = Preprocessing.read(dir.resolve("a")).orElseThrow();
        assertArrayEquals(new float[] {0.25f}, p.mean());
        assertArrayEquals(new float[] {0.5f}, p.std());
        assertEquals(List.of("left", "middle", "right"), p.classNames());
        CheckpointReader.load(dir.resolve("a"));

        CheckpointWriter.save(dir.resolve("b"), IN.createZooModel("resnet20", 1), "resnet20", IN, TrainingState.initial(),
                null, null, null);
        assertTrue(Preprocessing.read(dir.resolve("b")).isEmpty());
    }

    @Test
    void aMalformedRecordIsRejectedByField(@TempDir Path dir) throws IOException {
        Path ck = dir.resolve("c");
        CheckpointWriter.save(ck, IN.createZooModel("resnet20", 1), "resnet20", IN, TrainingState.initial(), null, null, null,
                new Preprocessing(new float[] {0.5f}, new float[] {0.2f}, List.of("a", "b", "c")));
        Path state = ck.resolve("state.json");
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = (ObjectNode) mapper.readTree(state.toFile());
        ObjectNode pre = (ObjectNode) json.get("preprocessing");
        ((ArrayNode) pre.get("std")).set(0, -1.0);
        Files.writeString(state, mapper.writeValueAsString(json));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Preprocessing.read(ck));
        assertTrue(e.getMessage().contains("preprocessing") && e.getMessage().contains("std"), e.getMessage());
        ((ArrayNode) pre.get("std")).set(0, 0.2);
        ((ArrayNode) pre.get("class_names")).set(0, 7);
        Files.writeString(state, mapper.writeValueAsString(json));
        e = assertThrows(MalformedFileException.class, () -> Preprocessing.read(ck));
        assertTrue(e.getMessage().contains("class_names[0]"), e.getMessage());
    }
}
