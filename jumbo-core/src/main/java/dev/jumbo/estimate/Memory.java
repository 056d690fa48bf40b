package dev.jumbo.estimate;

/**
 * Memory of one model replica on one device (no parallelism), in bytes.
 *
 * @param weightsBytes           weights at the chosen dtype (training: the 16-bit or fp32 copy)
 * @param gradientsBytes         gradients (training)
 * @param optimizerBytes         optimizer state (mixed-precision Adam: fp32 master weights,
 *                               momentum and variance, 12 bytes per parameter)
 * @param activationsBytes       activations saved for backward at the estimated batch and sequence
 * @param kvCacheBytes           key/value cache at the estimated context and batch (0 for encoders)
 * @param kvCacheBytesPerToken   key/value cache per token of context, per sequence
 * @param totalTrainingBytes     weights + gradients + optimizer + activations
 * @param totalInferenceBytes    weights + KV cache + the peak transient activations of one layer
 */
public record Memory(long weightsBytes, long gradientsBytes, long optimizerBytes, long activationsBytes,
                     long kvCacheBytes, long kvCacheBytesPerToken, long totalTrainingBytes, long totalInferenceBytes) {}
