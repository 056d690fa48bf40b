package dev.jumbo.tensor;

import dev.jumbo.kernels.Conv2d;
import dev.jumbo.kernels.ConvGeometry;

/**
 * Convolutions on NCHW (2-d) and NCL (1-d) float tensors, PyTorch semantics (cross-correlation,
 * zero padding, stride, dilation, groups). Forward and backward side by side; conv1d is conv2d
 * with height 1.
 *
 * <p>Profiler: "conv2d" records MACs = N*Cout*Hout*Wout*(Cin/groups)*kh*kw and FLOPs = 2*MACs plus
 * one per output element when a bias is added. "conv2d.backward" records the MACs of the GEMMs it
 * runs (grad input and/or grad weight, each equal to the forward MACs), FLOPs = 2*MACs plus one per
 * output-gradient element for the bias reduction; col2im scatter-adds are counted as data movement.
 *
 * <pre>{@code
 * Tensor y = ConvOps.conv2d(x, w, b, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1);
 * // x [8,3,32,32], w [16,3,3,3], b [16] -> y [8,16,32,32]
 * }</pre>
 */
public final class ConvOps {
    private ConvOps() {}

    /** 2-d convolution: x [N,Cin,H,W], weight [Cout,Cin/groups,kh,kw], bias [Cout] or null. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                int[] dilation, int groups) {
        return conv("conv2d", x, weight, bias, stride, padding, dilation, groups);
    }

    /** 1-d convolution: x [N,Cin,L], weight [Cout,Cin/groups,k], bias [Cout] or null. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation,
                                int groups) {
        if (x.dim() != 3 || weight.dim() != 3) {
            throw new IllegalArgumentException("conv1d: input " + Shapes.str(x.shape) + " and weight "
                    + Shapes.str(weight.shape) + ": expected input [N,C,L] and weight [Cout,C/groups,k]");
        }
        if (stride < 1 || padding < 0 || dilation < 1) {
            throw new IllegalArgumentException("conv1d: stride " + stride + ", padding " + padding + ", dilation "
                    + dilation + ": expected stride >= 1, padding >= 0, dilation >= 1");
        }
        Tensor y = conv("conv1d", x.unsqueeze(2), weight.unsqueeze(2), bias, new int[] {1, stride},
                new int[] {0, padding}, new int[] {1, dilation}, groups);
        return y.squeeze(2);
    }

    private static Tensor conv(String op, Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
                               int[] dilation, int groups) {
        ConvGeometry g = geometry(op, x, weight, bias, stride, padding, dilation, groups);
        Tensor xc = x.contiguous();
        Tensor wc = weight.contiguous();
        Tensor bc = bias == null ? null : bias.contiguous();
        float[] out = new float[g.n * g.cout * g.pixels];
        Conv2d.forward(g, xc.data(), xc.offset, wc.data(), wc.offset, bc == null ? null : bc.data(),
                bc == null ? 0 : bc.offset, out, 0);
        Tensor y = Tensor.of(out, g.n, g.cout, g.oh, g.ow);
        if (Profiler.enabled()) {
            long biasFlops = bias == null ? 0 : out.length;
            Profiler.record("conv2d", g.macs(), 2 * g.macs() + biasFlops);
        }
        return Autograd.record("conv2d", y, gy -> {
            boolean needX = x.requiresGrad;
            boolean needW = weight.requiresGrad;
            boolean needB = bias != null && bias.requiresGrad;
            Tensor gc = gy.contiguous();
            float[] dx = needX ? new float[g.n * g.cin * g.h * g.w] : null;
            float[] dw = needW ? new float[g.cout * g.kdim] : null;
            float[] db = needB ? new float[g.cout] : null;
            Conv2d.backward(g, xc.data(), xc.offset, wc.data(), wc.offset, gc.data(), gc.offset, dx, dw, db);
            if (Profiler.enabled()) {
                long macs = (needX ? g.macs() : 0) + (needW ? g.macs() : 0);
                Profiler.record("conv2d.backward", macs, 2 * macs + (needB ? gc.numel() : 0));
            }
            return new Tensor[] {
                needX ? Tensor.of(dx, x.shape) : null,
                needW ? Tensor.of(dw, weight.shape) : null,
                needB ? Tensor.of(db, bias.shape) : null};
        }, x, weight, bias);
    }

    /** Validates shapes and hyper-parameters; messages name the op the user called. */
    static ConvGeometry geometry(String op, Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                 int[] dilation, int groups) {
        boolean oneD = op.equals("conv1d");
        if (x.dim() != 4) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " has rank " + x.dim()
                    + ", expected [N,C,H,W]");
        }
        if (weight.dim() != 4) {
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(weight.shape) + " has rank "
                    + weight.dim() + ", expected [Cout,Cin/groups,kh,kw]");
        }
        if (!x.isFloat() || !weight.isFloat() || (bias != null && !bias.isFloat())) {
            throw new IllegalArgumentException(op + ": input, weight and bias must be float32");
        }
        check2(op, "stride", stride, 1);
        check2(op, "padding", padding, 0);
        check2(op, "dilation", dilation, 1);
        int[] xs = oneD ? new int[] {x.shape[0], x.shape[1], x.shape[3]} : x.shape;
        int[] ws = oneD ? new int[] {weight.shape[0], weight.shape[1], weight.shape[3]} : weight.shape;
        int cin = x.shape[1];
        int cout = weight.shape[0];
        if (groups < 1) {
            throw new IllegalArgumentException(op + ": groups " + groups + ", expected >= 1");
        }
        if (cin % groups != 0 || cout % groups != 0) {
            throw new IllegalArgumentException(op + ": " + cin + " input and " + cout
                    + " output channels are not both divisible by groups " + groups);
        }
        if (weight.shape[1] * groups != cin) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(xs) + " has " + cin + " channels, weight "
                    + Shapes.str(ws) + " expects " + weight.shape[1] * groups + " (groups " + groups + ")");
        }
        if (bias != null && (bias.dim() != 1 || bias.shape[0] != cout)) {
            throw new IllegalArgumentException(op + ": bias " + Shapes.str(bias.shape) + ", expected [" + cout + "]");
        }
        int h = x.shape[2], w = x.shape[3], kh = weight.shape[2], kw = weight.shape[3];
        int effH = dilation[0] * (kh - 1) + 1;
        int effW = dilation[1] * (kw - 1) + 1;
        if (effH > h + 2 * padding[0] || effW > w + 2 * padding[1] || kh == 0 || kw == 0) {
            String kernel = oneD ? String.valueOf(effW) : effH + "x" + effW;
            String padded = oneD ? String.valueOf(w + 2 * padding[1])
                    : (h + 2 * padding[0]) + "x" + (w + 2 * padding[1]);
            throw new IllegalArgumentException(op + ": kernel " + kernel + " (dilated) is larger than the padded input "
                    + padded + " of input " + Shapes.str(xs));
        }
        return new ConvGeometry(x.shape[0], cin, h, w, cout, kh, kw, stride[0], stride[1], padding[0], padding[1],
                dilation[0], dilation[1], groups);
    }

    private static void check2(String op, String name, int[] v, int min) {
        if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
            throw new IllegalArgumentException(op + ": " + name + " " + (v == null ? "null" : Shapes.str(v))
                    + ", expected two values >= " + min);
        }
    }
}
