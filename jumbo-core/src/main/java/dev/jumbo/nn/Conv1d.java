package dev.jumbo.nn;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 1-d convolution of [N,C,L] (PyTorch {@code nn.Conv1d}): weight [out, in/groups, k], optional bias.
 *
 * <pre>{@code
 * Conv1d conv = new Conv1d(16, 32, 3, 1, 1, 1, 1, true, rng);
 * Tensor y = conv.forward(x); // [N,16,L] -> [N,32,L]
 * }</pre>
 */
public final class Conv1d extends Module {
    public final int inChannels;
    public final int outChannels;
    public final int kernelSize;
    public final int stride;
    public final int padding;
    public final int dilation;
    public final int groups;
    public final Tensor weight;
    /** Null without bias. */
    public final Tensor bias;

    /** Kernel k, stride 1, no padding, with bias. */
    public Conv1d(int in, int out, int kernel, Rng rng) {
        this(in, out, kernel, 1, 0, 1, 1, true, rng);
    }

    public Conv1d(int in, int out, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias,
                  Rng rng) {
        Layers.checkGroups("Conv1d", in, out, groups);
        Layers.positive("Conv1d", "kernel_size", kernelSize);
        Layers.positive("Conv1d", "stride", stride);
        Layers.positive("Conv1d", "dilation", dilation);
        Layers.nonNegative("Conv1d", "padding", padding);
        this.inChannels = in;
        this.outChannels = out;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        this.weight = registerParameter("weight", Tensor.zeros(out, in / groups, kernelSize));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(out)) : null;
        Init.torchDefault(weight, this.bias, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.conv1d(weight, bias, stride, padding, dilation, groups);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("in_channels", inChannels);
        c.put("out_channels", outChannels);
        c.put("kernel_size", kernelSize);
        c.put("stride", stride);
        c.put("padding", padding);
        c.put("dilation", dilation);
        c.put("groups", groups);
        c.put("bias", bias != null);
        return c;
    }
}
