package dev.jumbo.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.tensor.SegmentStorage;
import dev.jumbo.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {

    @TempDir
    Path root;

    private static final String SPEC = "{\"layers\":[{\"type\":\"Linear\",\"in\":3,\"out\":2}]}";

    private static Map<String, Tensor> weights(float v) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("0.weight", Tensor.full(v, 2, 3));
        w.put("0.bias", Tensor.full(v, 2));
        w.put("num_batches_tracked", Tensor.ofInts(new int[] {5}));
        return w;
    }

    private List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReadsSpecWeightsMetadataAndExtras() throws IOException {
        Path dir = root.resolve("lenet5");
        ModelDirectory.write(dir, SPEC, weights(1), Map.of("epoch", "3"),
                Map.of("labels.txt", "cat\ndog\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(listing(dir)).containsExactly("labels.txt", "model.safetensors", "spec.json");
        assertThat(listing(root)).containsExactly("lenet5");

        ModelDirectory.Contents m = ModelDirectory.read(dir);
        assertThat(m.spec()).isEqualTo(SPEC);
        assertThat(m.metadata()).containsEntry("epoch", "3");
        assertThat(m.weights().keySet()).containsExactlyInAnyOrder("0.weight", "0.bias", "num_batches_tracked");
        assertThat(m.weights().get("0.weight").toFloatArray()).containsOnly(1f).hasSize(6);
        assertThat(m.weights().get("num_batches_tracked").toIntArray()).containsExactly(5);
        assertThat(new String(m.extraFiles().get("labels.txt"), StandardCharsets.UTF_8)).isEqualTo("cat\ndog\n");

        try (Arena arena = Arena.ofConfined()) {
            ModelDirectory.Contents mapped = ModelDirectory.map(dir, arena);
            assertThat(mapped.weights().get("0.bias").storage()).isInstanceOf(SegmentStorage.class);
            assertThat(mapped.weights().get("0.bias").toFloatArray()).containsExactly(1f, 1f);
        }
    }

    @Test
    void rewritingReplacesTheWholeDirectoryAndLeavesNoSiblings() throws IOException {
        Path dir = root.resolve("best");
        ModelDirectory.write(dir, SPEC, weights(1), Map.of(), Map.of("old.txt", new byte[] {1}));
        ModelDirectory.write(dir, "{\"v\":2}", weights(2));
        ModelDirectory.Contents m = ModelDirectory.read(dir);
        assertThat(m.spec()).isEqualTo("{\"v\":2}");
        assertThat(m.weights().get("0.bias").toFloatArray()).containsExactly(2f, 2f);
        assertThat(m.extraFiles()).isEmpty(); // the old directory's files are gone with it
        assertThat(listing(root)).containsExactly("best");
    }

    @Test
    void aFailureWhileWritingLeavesTheOldDirectoryIntact() throws IOException {
        Path dir = root.resolve("best");
        ModelDirectory.write(dir, SPEC, weights(1));
        byte[] before = Files.readAllBytes(dir.resolve(ModelDirectory.WEIGHTS));
        Map<String, Tensor> bad = weights(9);
        bad.put("__metadata__", Tensor.zeros(1)); // fails after spec.json was written to the temp directory
        assertThatThrownBy(() -> ModelDirectory.write(dir, "{\"v\":9}", bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelDirectory.write(dir, "{not json", weights(9)))
                .isInstanceOf(CorruptFileException.class).hasMessageContaining("spec.json: not valid JSON");
        assertThat(ModelDirectory.read(dir).spec()).isEqualTo(SPEC);
        assertThat(Files.readAllBytes(dir.resolve(ModelDirectory.WEIGHTS))).isEqualTo(before);
        assertThat(listing(root)).containsExactly("best");
    }

    @Test
    void aWriteThatDiedBetweenItsRenamesIsReadFromThePreviousVersionAndCleanedUpNextTime() throws IOException {
        Path dir = root.resolve("best");
        ModelDirectory.write(dir, SPEC, weights(1));
        // Simulate death after "best -> .best.previous" and before ".best.<rand>.tmp-dir -> best",
        // leaving a half-written temp directory too.
        Files.move(dir, root.resolve(".best.previous"));
        Path half = Files.createDirectory(root.resolve(".best.0123456789abcdef.tmp-dir"));
        Files.writeString(half.resolve("spec.json"), "{\"half\":");
        assertThat(ModelDirectory.read(dir).spec()).isEqualTo(SPEC);

        ModelDirectory.write(dir, "{\"v\":2}", weights(2));
        assertThat(ModelDirectory.read(dir).spec()).isEqualTo("{\"v\":2}");
        assertThat(listing(root)).containsExactly("best");
    }

    @Test
    void missingOrCorruptFilesAreNamed() throws IOException {
        Path dir = root.resolve("m");
        assertThatThrownBy(() -> ModelDirectory.read(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("m: model directory does not exist");

        ModelDirectory.write(dir, SPEC, weights(1));
        Path weightsFile = dir.resolve(ModelDirectory.WEIGHTS);
        byte[] good = Files.readAllBytes(weightsFile);
        Files.write(weightsFile, Arrays.copyOf(good, good.length - 1));
        assertThatThrownBy(() -> ModelDirectory.read(dir)).isInstanceOf(CorruptFileException.class)
                .hasMessageStartingWith(weightsFile.toAbsolutePath() + ": truncated");

        Files.delete(weightsFile);
        assertThatThrownBy(() -> ModelDirectory.read(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("model.safetensors: missing");

        Files.write(weightsFile, good);
        Files.writeString(dir.resolve(ModelDirectory.SPEC), "{\"layers\": [");
        assertThatThrownBy(() -> ModelDirectory.read(dir)).isInstanceOf(CorruptFileException.class)
                .hasMessageContaining("spec.json: not valid JSON");
        Files.delete(dir.resolve(ModelDirectory.SPEC));
        assertThatThrownBy(() -> ModelDirectory.read(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("spec.json: missing");
    }

    @Test
    void extraFileNamesMustBePlain() {
        for (String name : List.of("../x", "a/b", "spec.json", "model.safetensors", ".hidden", "")) {
            assertThatThrownBy(() -> ModelDirectory.write(root.resolve("m"), SPEC, weights(1), Map.of(),
                    Map.of(name, new byte[0]))).as(name).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
