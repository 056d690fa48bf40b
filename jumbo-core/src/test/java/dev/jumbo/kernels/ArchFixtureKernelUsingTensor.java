package dev.jumbo.kernels;

import dev.jumbo.tensor.Tensor;

/** A deliberately wrong kernel (test sources only) that {@code ArchitectureTest} must reject. */
public final class ArchFixtureKernelUsingTensor {
    private ArchFixtureKernelUsingTensor() {}

    static int rank(Tensor t) {
        return t.dim();
    }
}
