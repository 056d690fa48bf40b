package dev.jumbo;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.jumbo.kernels.ArchFixtureKernelUsingTensor;
import dev.jumbo.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package dependencies of jumbo-core flowing one way (DESIGN.md, "The house"):
 *
 * <pre>
 *   kernels  <-  tensor  <-  autograd  <-  io  <-  nn  <-  optim, data  <-  train  <-  estimate, compress, multimodal, llm
 * </pre>
 *
 * <p>Each layer may use only the layers to its left. {@code io} (safetensors, model directories)
 * sits below {@code nn} on purpose: layers load and save their weights through it, and the server
 * and estimator need loading without training. {@code optim} and {@code data} are peers (neither
 * uses the other); so are the four top layers. Packages that do not exist yet are optional layers.
 * Only dependencies between these layers are checked (JDK and library classes are ignored).
 */
class ArchitectureTest {

    private static final String[] TOP = {"Estimate", "Compress", "Multimodal", "Llm"};

    static ArchRule layers() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("Kernels").definedBy("dev.jumbo.kernels..")
                .layer("Tensor").definedBy("dev.jumbo.tensor..")
                .layer("Autograd").definedBy("dev.jumbo.autograd..")
                .layer("Io").definedBy("dev.jumbo.io..")
                .layer("Nn").definedBy("dev.jumbo.nn..")
                .layer("Optim").definedBy("dev.jumbo.optim..")
                .layer("Data").definedBy("dev.jumbo.data..")
                .layer("Train").definedBy("dev.jumbo.train..")
                .layer("Estimate").definedBy("dev.jumbo.estimate..")
                .layer("Compress").definedBy("dev.jumbo.compress..")
                .layer("Multimodal").definedBy("dev.jumbo.multimodal..")
                .layer("Llm").definedBy("dev.jumbo.llm..")
                .whereLayer("Kernels").mayNotAccessAnyLayer()
                .whereLayer("Tensor").mayOnlyAccessLayers("Kernels")
                .whereLayer("Autograd").mayOnlyAccessLayers("Kernels", "Tensor")
                .whereLayer("Io").mayOnlyAccessLayers("Kernels", "Tensor", "Autograd")
                .whereLayer("Nn").mayOnlyAccessLayers("Kernels", "Tensor", "Autograd", "Io")
                .whereLayer("Optim").mayOnlyAccessLayers("Kernels", "Tensor", "Autograd", "Io", "Nn")
                .whereLayer("Data").mayOnlyAccessLayers("Kernels", "Tensor", "Autograd", "Io", "Nn")
                .whereLayer("Train").mayOnlyAccessLayers("Kernels", "Tensor", "Autograd", "Io", "Nn", "Optim", "Data")
                .whereLayer(TOP[0]).mayOnlyAccessLayers(below())
                .whereLayer(TOP[1]).mayOnlyAccessLayers(below())
                .whereLayer(TOP[2]).mayOnlyAccessLayers(below())
                .whereLayer(TOP[3]).mayOnlyAccessLayers(below());
    }

    private static String[] below() {
        return new String[] {"Kernels", "Tensor", "Autograd", "Io", "Nn", "Optim", "Data", "Train"};
    }

    static ArchRule noCycles() {
        return slices().matching("dev.jumbo.(*)..").should().beFreeOfCycles();
    }

    private static JavaClasses production() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.jumbo");
    }

    @Test
    void layersDependOnlyOnLayersBelow() {
        layers().check(production());
    }

    @Test
    void packagesAreFreeOfCycles() {
        noCycles().check(production());
    }

    /** The rules can fail: a (test-only) kernels class that uses Tensor breaks both. */
    @Test
    void rulesCatchAKernelThatUsesTensor() {
        JavaClasses bad = new ClassFileImporter().importClasses(ArchFixtureKernelUsingTensor.class, Tensor.class);
        EvaluationResult result = layers().evaluate(bad);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("ArchFixtureKernelUsingTensor");
    }
}
