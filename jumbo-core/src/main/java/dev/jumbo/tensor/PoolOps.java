package dev.jumbo.tensor;

import dev.jumbo.kernels.Pool2d;

/**
 * Pooling over NCHW (2-d) and NCL (1-d) float tensors with PyTorch semantics: floor output size,
 * max pooling pads with -infinity, average pooling counts padding in the divisor
 * ({@code count_include_pad=True}), adaptive windows span floor(i*in/out) .. ceil((i+1)*in/out).
 *
 * <p>Profiler convention (no MACs): forward FLOPs = one per window position, padding included
 * (N*C*Hout*Wout*kh*kw; for adaptive pooling the exact sum of window sizes); backward FLOPs = one
 * per gradient element added into the input gradient (max: N*C*Hout*Wout; average: the window
 * positions again).
 *
 * <pre>{@code
 * Tensor y = PoolOps.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}); // halves H and W
 * }</pre>
 */
public final class PoolOps {
    private PoolOps() {}

    /** Max pooling of x [N,C,H,W] with the given window, stride and padding (each [h, w]). */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        return pool("maxPool2d", x, kernel, stride, padding, true);
    }

    /** Average pooling of x [N,C,H,W]; padding counts as zeros in the divisor kh*kw. */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        return pool("avgPool2d", x, kernel, stride, padding, false);
    }

    /** Max pooling of x [N,C,L]. */
    public static Tensor maxPool1d(Tensor x, int kernel, int stride, int padding) {
        check1d("maxPool1d", x);
        return pool("maxPool1d", x.unsqueeze(2), new int[] {1, kernel}, new int[] {1, stride},
                new int[] {0, padding}, true).squeeze(2);
    }

    /** Average pooling of x [N,C,L]. */
    public static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding) {
        check1d("avgPool1d", x);
        return pool("avgPool1d", x.unsqueeze(2), new int[] {1, kernel}, new int[] {1, stride},
                new int[] {0, padding}, false).squeeze(2);
    }

    private static void check1d(String op, Tensor x) {
        if (x.dim() != 3) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " has rank " + x.dim()
                    + ", expected [N,C,L]");
        }
    }

    private static Tensor pool(String op, Tensor x, int[] kernel, int[] stride, int[] padding, boolean max) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " has rank " + x.dim()
                    + ", expected [N,C,H,W]");
        }
        checkPair(op, "kernel", kernel, 1);
        checkPair(op, "stride", stride, 1);
        checkPair(op, "padding", padding, 0);
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int kh = kernel[0], kw = kernel[1], sh = stride[0], sw = stride[1], ph = padding[0], pw = padding[1];
        if (ph * 2 > kh || pw * 2 > kw) {
            throw new IllegalArgumentException(op + ": padding " + Shapes.str(padding) + " for kernel "
                    + Shapes.str(kernel) + ", expected padding at most half the kernel");
        }
        if (kh > h + 2 * ph || kw > w + 2 * pw) {
            throw new IllegalArgumentException(op + ": kernel " + Shapes.str(kernel) + " is larger than the padded input "
                    + (h + 2 * ph) + "x" + (w + 2 * pw) + " of input " + Shapes.str(x.shape));
        }
        int oh = Pool2d.outSize(h, kh, sh, ph);
        int ow = Pool2d.outSize(w, kw, sw, pw);
        int planes = n * c;
        Tensor xc = x.contiguous();
        float[] out = new float[planes * oh * ow];
        long window = (long) out.length * kh * kw;
        if (max) {
            // the winners' indices only when a backward will route gradients through them
            int[] argmax = Autograd.isEnabled() && x.requiresGrad ? new int[out.length] : null;
            Pool2d.maxForward(planes, h, w, kh, kw, sh, sw, ph, pw, xc.data(), xc.offset, out, 0, argmax);
            Tensor y = Tensor.of(out, n, c, oh, ow);
            if (Profiler.enabled()) {
                Profiler.record(op, 0, window);
            }
            return Autograd.record(op, y, gy -> {
                Tensor gc = gy.contiguous();
                float[] dx = new float[planes * h * w];
                Pool2d.maxBackward(planes, h, w, oh, ow, gc.data(), gc.offset, argmax, dx);
                if (Profiler.enabled()) {
                    Profiler.record(op + ".backward", 0, gc.numel());
                }
                return new Tensor[] {Tensor.of(dx, x.shape)};
            }, x);
        }
        Pool2d.avgForward(planes, h, w, kh, kw, sh, sw, ph, pw, xc.data(), xc.offset, out, 0);
        Tensor y = Tensor.of(out, n, c, oh, ow);
        if (Profiler.enabled()) {
            Profiler.record(op, 0, window);
        }
        return Autograd.record(op, y, gy -> {
            Tensor gc = gy.contiguous();
            float[] dx = new float[planes * h * w];
            Pool2d.avgBackward(planes, h, w, kh, kw, sh, sw, ph, pw, gc.data(), gc.offset, dx);
            if (Profiler.enabled()) {
                Profiler.record(op + ".backward", 0, window);
            }
            return new Tensor[] {Tensor.of(dx, x.shape)};
        }, x);
    }

    /** Adaptive average pooling of x [N,C,H,W] to [N,C,outH,outW]. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        String op = "adaptiveAvgPool2d";
        if (x.dim() != 4) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " has rank " + x.dim()
                    + ", expected [N,C,H,W]");
        }
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": output size " + outH + "x" + outW + ", expected positive sizes");
        }
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int planes = n * c;
        Tensor xc = x.contiguous();
        float[] out = new float[planes * outH * outW];
        Pool2d.adaptiveAvgForward(planes, h, w, outH, outW, xc.data(), xc.offset, out, 0);
        Tensor y = Tensor.of(out, n, c, outH, outW);
        long window = (long) planes * windowSum(h, outH) * windowSum(w, outW);
        if (Profiler.enabled()) {
            Profiler.record(op, 0, window);
        }
        return Autograd.record(op, y, gy -> {
            Tensor gc = gy.contiguous();
            float[] dx = new float[planes * h * w];
            Pool2d.adaptiveAvgBackward(planes, h, w, outH, outW, gc.data(), gc.offset, dx);
            if (Profiler.enabled()) {
                Profiler.record(op + ".backward", 0, window);
            }
            return new Tensor[] {Tensor.of(dx, x.shape)};
        }, x);
    }

    /** Adaptive average pooling of x [N,C,L] to [N,C,out]. */
    public static Tensor adaptiveAvgPool1d(Tensor x, int out) {
        check1d("adaptiveAvgPool1d", x);
        return adaptiveAvgPool2d(x.unsqueeze(2), 1, out).squeeze(2);
    }

    private static long windowSum(int in, int out) {
        long s = 0;
        for (int i = 0; i < out; i++) {
            s += Pool2d.adaptiveEnd(i, in, out) - Pool2d.adaptiveStart(i, in, out);
        }
        return s;
    }

    private static void checkPair(String op, String name, int[] v, int min) {
        if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
            throw new IllegalArgumentException(op + ": " + name + " " + (v == null ? "null" : Shapes.str(v))
                    + ", expected two values >= " + min);
        }
    }
}
