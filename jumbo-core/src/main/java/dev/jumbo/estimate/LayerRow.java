package dev.jumbo.estimate;

import java.util.Arrays;

/**
 * One line of a per-layer cost table. Counts are exact integers; MACs are multiply-accumulates
 * (1 MAC = 2 FLOPs) of matrix products only.
 *
 * <pre>{@code
 * new LayerRow("layers.self_attn.q_proj", "Linear", new long[] {1, 128, 4096}, 32,
 *         4096L * 4096, 4096L * 4096, 128L * 4096 * 4096, 2 * 128L * 4096 * 4096, 128L * 4096 * 2);
 * }</pre>
 *
 * @param name            layer name (Hugging Face module names for LLMs)
 * @param type            layer kind: Linear, Embedding, RMSNorm, Attention.QK, ...
 * @param outputShape     output shape of one instance at the estimated batch and sequence
 * @param count           identical instances this row stands for (the L blocks of a transformer;
 *                        1 for a single layer); totals multiply by it
 * @param params          parameters of one instance (0 for a tied output projection)
 * @param activeParams    parameters one token uses (top-k experts only for MoE; else {@code params})
 * @param macs            forward MACs of one instance
 * @param backwardMacs    backward MACs of one instance, from the op's own backward rule (2×
 *                        forward for a product whose both input gradients are needed)
 * @param activationBytes bytes of one instance's output at the activation dtype
 * @param flops           forward FLOPs of one instance: 2 × MACs plus the op's own elementwise work
 *                        (bias adds, norms, activations, pooling windows, residual adds)
 * @param backwardFlops   backward FLOPs of one instance, from the op's own backward rule
 */
public record LayerRow(String name, String type, long[] outputShape, long count, long params, long activeParams,
                       long macs, long backwardMacs, long activationBytes, long flops, long backwardFlops) {

    public LayerRow {
        outputShape = outputShape.clone();
    }

    /** A row of matrix products only: FLOPs are 2 × MACs forward and backward. */
    public LayerRow(String name, String type, long[] outputShape, long count, long params, long activeParams,
                    long macs, long backwardMacs, long activationBytes) {
        this(name, type, outputShape, count, params, activeParams, macs, backwardMacs, activationBytes,
                Math.multiplyExact(2, macs), Math.multiplyExact(2, backwardMacs));
    }

    @Override
    public long[] outputShape() {
        return outputShape.clone();
    }

    /** The output shape as {@code [1,128,4096]}. */
    public String shapeString() {
        return Arrays.toString(outputShape).replace(" ", "");
    }

    /** {@code params × count}. */
    public long totalParams() {
        return Math.multiplyExact(params, count);
    }

    /** {@code activeParams × count}. */
    public long totalActiveParams() {
        return Math.multiplyExact(activeParams, count);
    }

    /** {@code macs × count}. */
    public long totalMacs() {
        return Math.multiplyExact(macs, count);
    }

    /** {@code flops × count}. */
    public long totalFlops() {
        return Math.multiplyExact(flops, count);
    }

    /** {@code backwardFlops × count}. */
    public long totalBackwardFlops() {
        return Math.multiplyExact(backwardFlops, count);
    }

    /** {@code backwardMacs × count}. */
    public long totalBackwardMacs() {
        return Math.multiplyExact(backwardMacs, count);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerRow r && name.equals(r.name) && type.equals(r.type)
                && Arrays.equals(outputShape, r.outputShape) && count == r.count && params == r.params
                && activeParams == r.activeParams && macs == r.macs && backwardMacs == r.backwardMacs
                && activationBytes == r.activationBytes && flops == r.flops && backwardFlops == r.backwardFlops;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(outputShape);
    }
}
