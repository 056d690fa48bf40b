package dev.jumbo.kernels;

/**
 * The sizes of one NCHW 2-d convolution: input [n, cin, h, w], weight [cout, cin/groups, kh, kw],
 * output [n, cout, oh, ow]. A 1-d convolution is the same with {@code h = kh = 1}.
 *
 * <pre>{@code
 * // LeNet-5 conv1: 64 images 1x28x28, 6 filters 5x5, padding 2 -> [64, 6, 28, 28]
 * ConvGeometry g = new ConvGeometry(64, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 1, 1, 1);
 * }</pre>
 */
public final class ConvGeometry {
    public final int n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups;
    public final int oh, ow;
    /** Input and output channels per group; rows of the im2col matrix (cinG*kh*kw); output pixels. */
    public final int cinG, coutG, kdim, pixels;

    public ConvGeometry(int n, int cin, int h, int w, int cout, int kh, int kw,
                        int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        this.n = n;
        this.cin = cin;
        this.h = h;
        this.w = w;
        this.cout = cout;
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
        this.ph = ph;
        this.pw = pw;
        this.dh = dh;
        this.dw = dw;
        this.groups = groups;
        this.oh = outSize(h, kh, sh, ph, dh);
        this.ow = outSize(w, kw, sw, pw, dw);
        this.cinG = cin / groups;
        this.coutG = cout / groups;
        this.kdim = cinG * kh * kw;
        this.pixels = oh * ow;
    }

    /** PyTorch's output size: floor((in + 2*pad - dil*(k-1) - 1) / stride) + 1. */
    public static int outSize(int in, int k, int stride, int pad, int dil) {
        return Math.floorDiv(in + 2 * pad - dil * (k - 1) - 1, stride) + 1;
    }

    /** Multiply-accumulates of the forward pass (bias excluded). */
    public long macs() {
        return (long) n * cout * pixels * kdim;
    }

    /** True when im2col is the identity (1x1 kernel, stride 1, no padding): the input is the matrix. */
    boolean pointwise() {
        return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0;
    }
}
