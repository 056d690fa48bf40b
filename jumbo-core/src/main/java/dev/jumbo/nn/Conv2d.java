package dev.jumbo.nn;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 2-d convolution of [N,C,H,W] (PyTorch {@code nn.Conv2d}): weight [out, in/groups, kh, kw], optional
 * bias [out], per-axis stride, padding and dilation, groups. PyTorch's default init.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(3, 64, 3, 1, 1, false, rng); // 3x3, stride 1, padding 1, no bias
 * Tensor y = conv.forward(x); // [N,3,H,W] -> [N,64,H,W]
 * }</pre>
 */
public final class Conv2d extends Module {
    public final int inChannels;
    public final int outChannels;
    public final int[] kernelSize;
    public final int[] stride;
    public final int[] padding;
    public final int[] dilation;
    public final int groups;
    public final Tensor weight;
    /** Null without bias. */
    public final Tensor bias;

    /** k x k, stride 1, no padding, with bias. */
    public Conv2d(int in, int out, int kernel, Rng rng) {
        this(in, out, kernel, 1, 0, true, rng);
    }

    /** Square kernel, stride and padding; dilation 1, one group. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias, Rng rng) {
        this(in, out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {1, 1}, 1, bias, rng);
    }

    /** Every option; each int[] is [h, w]. */
    public Conv2d(int in, int out, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias, Rng rng) {
        Layers.checkGroups("Conv2d", in, out, groups);
        this.inChannels = in;
        this.outChannels = out;
        this.kernelSize = Layers.pair("Conv2d", "kernel_size", kernelSize, 1);
        this.stride = Layers.pair("Conv2d", "stride", stride, 1);
        this.padding = Layers.pair("Conv2d", "padding", padding, 0);
        this.dilation = Layers.pair("Conv2d", "dilation", dilation, 1);
        this.groups = groups;
        this.weight = registerParameter("weight", Tensor.zeros(out, in / groups, this.kernelSize[0], this.kernelSize[1]));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(out)) : null;
        Init.torchDefault(weight, this.bias, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.conv2d(weight, bias, stride, padding, dilation, groups);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("in_channels", inChannels);
        c.put("out_channels", outChannels);
        c.put("kernel_size", kernelSize.clone());
        c.put("stride", stride.clone());
        c.put("padding", padding.clone());
        c.put("dilation", dilation.clone());
        c.put("groups", groups);
        c.put("bias", bias != null);
        return c;
    }
}
