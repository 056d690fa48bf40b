package dev.jumbo.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.io.ModelDirectory;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTest {
    @TempDir
    Path tmp;

    @Test
    void saveAndLoadRoundTripsAZooModelWithClassNames() throws Exception {
        Module net = Zoo.create("lenet5", new Rng(3));
        Path run = tmp.resolve("run");
        Model.save(run.resolve(Model.RUN_MODEL), net, List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));
        Model.Loaded m = Model.read(run);                     // a run directory: reads run/model
        assertThat(m.dir()).isEqualTo(run.resolve(Model.RUN_MODEL).toAbsolutePath().normalize());
        assertThat(m.inputShape()).containsExactly(1, 28, 28);
        assertThat(m.classNames()).hasSize(10).startsWith("a");
        assertThat(m.module().isTraining()).isFalse();
        Tensor x = Tensor.randn(new Rng(1), 2, 1, 28, 28);
        net.eval();
        assertThat(m.module().call(x).toFloatArray()).isEqualTo(net.call(x).toFloatArray());
    }

    @Test
    void errorsNameTheFile() throws Exception {
        Path dir = tmp.resolve("m");
        Model.save(dir, new Sequential(new Linear(4, 2, new Rng(1))), List.of());
        Files.writeString(dir.resolve(ModelDirectory.SPEC), "{\"layers\": [{\"type\": \"Conv3d\"}]}");
        assertThatThrownBy(() -> Model.load(dir)).hasMessageContaining("spec.json").hasMessageContaining("Conv3d");
        Model.save(dir, new Sequential(new Linear(4, 2, new Rng(1))), List.of());
        Files.writeString(dir.resolve(ModelDirectory.SPEC),
                "{\"layers\": [{\"type\": \"Linear\", \"in_features\": 5, \"out_features\": 2}]}");
        assertThatThrownBy(() -> Model.load(dir)).hasMessageContaining("model.safetensors").hasMessageContaining("[2,4]");
        assertThatThrownBy(() -> Model.load(tmp.resolve("nothing"))).hasMessageContaining("nothing");
    }
}
