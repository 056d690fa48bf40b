package dev.jumbo.data;

import dev.jumbo.tensor.Tensor;

/** One labelled example: an input tensor (a dataset's example shape) and its int class label. */
public record Example(Tensor input, int label) {}
