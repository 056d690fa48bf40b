package dev.jumbo.estimate;

/**
 * Weights, gradients and optimizer state per device under ZeRO (Rajbhandari et al. 2020,
 * "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models"), for Ψ parameters on
 * N<sub>d</sub> data-parallel devices with mixed-precision Adam (2 + 2 + K bytes per parameter,
 * K = 12: fp32 master weights, momentum, variance; 16 bytes in all):
 * <pre>
 *   stage 0 (plain DP)        (2 + 2 + K)·Ψ
 *   stage 1 (P_os)            (2 + 2)·Ψ + K·Ψ/N_d
 *   stage 2 (P_os+g)          2·Ψ + (2 + K)·Ψ/N_d
 *   stage 3 (P_os+g+p)        (2 + 2 + K)·Ψ/N_d
 * </pre>
 * The paper's example, Ψ = 7.5B on N<sub>d</sub> = 64: 120 GB, 31.4 GB, 16.6 GB, 1.9 GB.
 *
 * <pre>{@code
 * ModelStates.MIXED_ADAM.perDevice(7_500_000_000L, 1, 64).total();   // 31,406,250,000 bytes
 * }</pre>
 *
 * @param weightBytes    bytes per parameter of the working weights
 * @param gradientBytes  bytes per parameter of the gradients
 * @param optimizerBytes bytes per parameter of the optimizer state (K)
 */
public record ModelStates(int weightBytes, int gradientBytes, int optimizerBytes) {

    /** Mixed-precision Adam: 16-bit weights and gradients, fp32 master weights + Adam moments (2 + 2 + 12). */
    public static final ModelStates MIXED_ADAM = new ModelStates(2, 2, 12);
    /** fp32 Adam: weights, gradients, two moments (4 + 4 + 8). */
    public static final ModelStates FP32_ADAM = new ModelStates(4, 4, 8);

    /** The training precision for a weight format: fp32 Adam for fp32, mixed precision otherwise. */
    public static ModelStates forFormat(WeightFormat f) {
        return f == WeightFormat.FP32 ? FP32_ADAM : MIXED_ADAM;
    }

    /** Bytes per device of each part. */
    public record Bytes(double weights, double gradients, double optimizer) {
        public double total() {
            return weights + gradients + optimizer;
        }
    }

    /** Per-device bytes of {@code params} parameters at ZeRO {@code stage} over {@code dp} data-parallel devices. */
    public Bytes perDevice(double params, int stage, int dp) {
        if (stage < 0 || stage > 3 || dp < 1) {
            throw new IllegalArgumentException("zero: stage " + stage + ", data-parallel size " + dp
                    + ": expected stage 0-3 and size >= 1");
        }
        double w = weightBytes * params;
        double g = gradientBytes * params;
        double o = optimizerBytes * params;
        return new Bytes(stage >= 3 ? w / dp : w, stage >= 2 ? g / dp : g, stage >= 1 ? o / dp : o);
    }
}
