package dev.jumbo.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The estimator and the engine's profiler count independently; they must agree. */
class EngineValidationTest {

    @ParameterizedTest
    @CsvSource({"mlp,2,adam", "lenet5,2,adam", "vgg_small,2,sgd", "resnet_small,2,momentum", "resnet18,1,adam"})
    void estimateMatchesTheProfiler(String model, int batch, String optimizer) {
        EngineValidation.Result r = EngineValidation.run(model, Zoo.create(model, new Rng(1)), Zoo.inputShape(model),
                batch, OptimizerState.parse(optimizer));
        System.out.println(r.line());
        assertThat(r.countedForwardMacs()).as(r.line()).isEqualTo(r.estimatedForwardMacs());
        assertThat(r.countedStepMacs()).as(r.line()).isEqualTo(r.estimatedStepMacs());
        assertThat(r.countedForwardFlops()).as(r.line()).isEqualTo(r.estimatedForwardFlops());
        assertThat(r.memoryRatio()).as(r.line()).isBetween(1 - EngineValidation.MEMORY_TOLERANCE, 1 + EngineValidation.MEMORY_TOLERANCE);
    }
}
