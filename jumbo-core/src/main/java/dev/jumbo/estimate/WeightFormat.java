package dev.jumbo.estimate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How weights are stored. The 8- and 4-bit formats are modelled as ggml's block formats, the ones
 * llama.cpp and llama3.java use: {@code Q8_0} (blocks of 32 int8 values + one fp16 scale, 34 bytes
 * per 32 weights = 8.5 bits) and {@code Q4_0} (32 nibbles + one fp16 scale, 18 bytes per 32 weights
 * = 4.5 bits). As in ggml, only matrices (linear and embedding weights) are quantized; vectors
 * (norm weights, biases) stay fp32.
 *
 * <pre>{@code
 * WeightFormat.parse("bf16").bytes(4096L * 4096, 4096);   // 2 bytes each
 * WeightFormat.INT4.bytes(4096L * 4096, 0);               // 4096*4096/32 blocks * 18 bytes
 * }</pre>
 */
public enum WeightFormat {
    FP32("fp32", 4, 1, 4),
    BF16("bf16", 2, 1, 2),
    FP16("fp16", 2, 1, 2),
    INT8("int8", 34, 32, 4),
    INT4("int4", 18, 32, 4);

    private final String label;
    private final int blockBytes;
    private final int blockSize;
    private final int vectorBytes;

    WeightFormat(String label, int blockBytes, int blockSize, int vectorBytes) {
        this.label = label;
        this.blockBytes = blockBytes;
        this.blockSize = blockSize;
        this.vectorBytes = vectorBytes;
    }

    public String label() {
        return label;
    }

    /** True for the block-quantized formats (int8 = Q8_0, int4 = Q4_0). */
    public boolean quantized() {
        return blockSize > 1;
    }

    /** Bytes per matrix weight, including the block scales (8.5 bits for Q8_0, 4.5 for Q4_0). */
    public double bytesPerWeight() {
        return (double) blockBytes / blockSize;
    }

    /** Bytes of {@code matrixParams} matrix weights (rounded up to whole blocks) and {@code vectorParams} vector weights. */
    public long bytes(long matrixParams, long vectorParams) {
        long blocks = (matrixParams + blockSize - 1) / blockSize;
        return Math.addExact(Math.multiplyExact(blocks, blockBytes), Math.multiplyExact(vectorParams, vectorBytes));
    }

    /** Bytes of one activation / KV-cache element when running at this format (16-bit unless fp32). */
    public int activationBytes() {
        return this == FP32 ? 4 : 2;
    }

    /** Parses {@code fp32, bf16, fp16, int8, int4} (case-insensitive). */
    public static WeightFormat parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.label.equals(k)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("dtype: '" + s + "': expected one of "
                        + Arrays.stream(values()).map(WeightFormat::label).collect(Collectors.joining(", "))));
    }
}
