package dev.jumbo.estimate;

import java.util.List;

/**
 * What the estimator computes for any model (an LLM from its config, later a zoo model from its
 * graph): per-layer rows, their totals and memory. MACs count matrix products (linear, attention
 * QK^T and AV, later conv); FLOPs here are 2 × MACs (1 MAC = 2 FLOPs).
 *
 * <pre>{@code
 * Estimate e = LlmModel.estimate(LlmConfig.read(path), 1, 128, WeightFormat.FP16);
 * e.paramsTotal();   // 6,738,415,616 for LLaMA-2-7B
 * e.macsForward();   // 850,000,871,424 at batch 1, sequence 128
 * }</pre>
 *
 * @param model  model name
 * @param batch  batch size the rows are computed at
 * @param seq    sequence length (tokens per sample) the rows are computed at; 0 for non-sequence models
 * @param rows   per-layer rows (a row may stand for {@code count} identical layers)
 * @param memory memory figures of one replica on one device
 */
public record Estimate(String model, long batch, long seq, List<LayerRow> rows, Memory memory) {

    public Estimate {
        rows = List.copyOf(rows);
    }

    public long paramsTotal() {
        return rows.stream().mapToLong(LayerRow::totalParams).reduce(0, Math::addExact);
    }

    /** Parameters one token uses: all of them for dense models, the top-k experts only for MoE. */
    public long paramsActive() {
        return rows.stream().mapToLong(LayerRow::totalActiveParams).reduce(0, Math::addExact);
    }

    /** Forward MACs of one batch. */
    public long macsForward() {
        return rows.stream().mapToLong(LayerRow::totalMacs).reduce(0, Math::addExact);
    }

    /** Forward FLOPs of one batch: 2 × {@link #macsForward()}. */
    public long flopsForward() {
        return Math.multiplyExact(2, macsForward());
    }

    /** Backward MACs of one batch, summed from each row's own backward rule. */
    public long macsBackward() {
        return rows.stream().mapToLong(LayerRow::totalBackwardMacs).reduce(0, Math::addExact);
    }

    /** Forward + backward MACs of one training step (no recomputation). */
    public long macsTrainingStep() {
        return Math.addExact(macsForward(), macsBackward());
    }

    /** Forward FLOPs of every op (matrix products, bias adds, norms, activations, pooling, residual adds). */
    public long flopsForwardAllOps() {
        return rows.stream().mapToLong(LayerRow::totalFlops).reduce(0, Math::addExact);
    }

    /** Forward + backward FLOPs of every op in one training step (each op's own backward rule). */
    public long flopsTrainingStepAllOps() {
        return Math.addExact(flopsForwardAllOps(),
                rows.stream().mapToLong(LayerRow::totalBackwardFlops).reduce(0, Math::addExact));
    }

    /** Forward + backward FLOPs of one training step: 2 × {@link #macsTrainingStep()}. */
    public long flopsTrainingStep() {
        return Math.multiplyExact(2, macsTrainingStep());
    }
}
