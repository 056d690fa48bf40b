package dev.jumbo.bench;

import static dev.jumbo.bench.Conformance.In.f;
import static dev.jumbo.bench.Conformance.In.pos;
import static dev.jumbo.bench.Conformance.pt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.pytorch.jni.JniUtils;
import dev.jumbo.bench.Conformance.Case;
import dev.jumbo.bench.Conformance.In;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Conformance cases for arithmetic, activations and reductions. Where DJL reaches no PyTorch
 * function for an op, the PyTorch side is the op's defining formula in torch primitives and the
 * case label says "torch composed"; ops with neither are listed as "no peer".
 */
final class ConformanceMathCases {

    /** Elementwise tolerance; reductions and products scale it by sqrt(k). */
    static final double EW = 1e-5;

    private ConformanceMathCases() {
    }

    static double red(int k) {
        return EW * Math.sqrt(k);
    }

    static Case c(String op, String label, double tol, List<In> in, Function<Tensor[], Tensor> j,
                  Function<NDArray[], NDArray> t) {
        return new Case(op, label, tol, in, 1, x -> new Tensor[] {j.apply(x)}, x -> new NDArray[] {t.apply(x)});
    }

    /** A case whose output is not differentiable (indices, masks): compared by value only. */
    static Case values(String op, String label, List<In> in, Function<Tensor[], Tensor> j,
                       Function<NDArray[], NDArray> t) {
        return new Case(op, label, 0, in, 0, x -> new Tensor[] {j.apply(x)}, x -> new NDArray[] {t.apply(x)});
    }

    static Case noPeer(String op, String why) {
        return new Case(op, why, 0, List.of(), 0, null, null);
    }

    static List<Case> all() {
        List<Case> cs = new ArrayList<>();
        binary(cs);
        unary(cs);
        reductions(cs);
        return cs;
    }

    private static void binary(List<Case> cs) {
        record B(String op, Function<Tensor[], Tensor> j, Function<NDArray[], NDArray> t, boolean posRight) {}
        List<B> ops = List.of(
                new B("add", x -> x[0].add(x[1]), x -> x[0].add(x[1]), false),
                new B("sub", x -> x[0].sub(x[1]), x -> x[0].sub(x[1]), false),
                new B("mul", x -> x[0].mul(x[1]), x -> x[0].mul(x[1]), false),
                new B("div", x -> x[0].div(x[1]), x -> x[0].div(x[1]), true),
                new B("maximum", x -> x[0].maximum(x[1]), x -> x[0].maximum(x[1]), false),
                new B("minimum", x -> x[0].minimum(x[1]), x -> x[0].minimum(x[1]), false));
        for (B b : ops) {
            UnaryOperator<In> right = in -> b.posRight() ? in.range(0.5f, 2) : in;
            cs.add(c(b.op(), "3x4 . 4", EW, List.of(f(3, 4), right.apply(f(4))), b.j(), b.t()));
            cs.add(c(b.op(), "2x1x5 . 3x1", EW, List.of(f(2, 1, 5), right.apply(f(3, 1))), b.j(), b.t()));
            cs.add(c(b.op(), "17x33^T . 17x33", EW, List.of(f(17, 33).t(), right.apply(f(17, 33))), b.j(), b.t()));
            cs.add(c(b.op(), "ties 6x7 . 7 on a 0.5 grid", EW, List.of(f(6, 7).range(-1, 1).grid(),
                    right.apply(f(7).range(-1, 1).grid())), b.j(), b.t()));
            cs.add(c(b.op(), "1 . 7x129", EW, List.of(f(1), right.apply(f(7, 129))), b.j(), b.t()));
            cs.add(c(b.op(), "300x1x1 . 1x40x50^T (parallel)", EW, List.of(f(300, 1, 1), right.apply(f(1, 40, 50).t())),
                    b.j(), b.t()));
        }
        cs.add(c("add", "scalar 2.5", EW, List.of(f(5, 7)), x -> x[0].add(2.5f), x -> x[0].add(2.5f)));
        cs.add(c("mul", "scalar -1.5", EW, List.of(f(5, 7).t()), x -> x[0].mul(-1.5f), x -> x[0].mul(-1.5f)));
        cs.add(c("div", "scalar 3", EW, List.of(f(5, 7)), x -> x[0].div(3f), x -> x[0].div(3f)));
        cs.add(c("pow", "pos 4x5 ^ 5", EW, List.of(pos(4, 5), f(5).range(-2, 2)),
                x -> x[0].pow(x[1]), x -> x[0].pow(x[1])));
        cs.add(c("pow", "pos 3x1 ^ 2x1x4", EW, List.of(pos(3, 1), f(2, 1, 4).range(-2, 2)),
                x -> x[0].pow(x[1]), x -> x[0].pow(x[1])));
        cs.add(c("pow", "pos 9x6^T ^ 1.5", EW, List.of(pos(9, 6).t()), x -> x[0].pow(1.5f), x -> x[0].pow(1.5f)));
        cs.add(c("pow", "7x5 ^ 3", EW, List.of(f(7, 5)), x -> x[0].pow(3f), x -> x[0].pow(3f)));
        cs.add(c("pow", "pos 33 ^ -0.5", EW, List.of(pos(33)), x -> x[0].pow(-0.5f), x -> x[0].pow(-0.5f)));
        cs.add(c("where", "cond 4x5 ? 4x5 : 5", EW, List.of(f(4, 5).noGrad(), f(4, 5), f(5)),
                x -> Tensor.where(x[0].gt(0f), x[1], x[2]),
                x -> NDArrays.where(x[0].gt(0f), x[1], x[2])));
        cs.add(values("gt", "3x4 > 4", List.of(f(3, 4).noGrad(), f(4).noGrad()),
                x -> x[0].gt(x[1]), x -> x[0].gt(x[1])));
        cs.add(values("eq", "5x6 == 0 (after round)", List.of(f(5, 6).noGrad()),
                x -> x[0].mul(2f).add(0.5f).eq(1f), x -> x[0].mul(2f).add(0.5f).eq(1f)));
        cs.add(noPeer("maskedFill", "no peer (DJL has no masked_fill; same semantics as where)"));
        cs.add(noPeer("scatterAdd", "no peer (DJL reaches torch.scatter, not scatter_add)"));
        cs.add(noPeer("dropout/random", "no peer (random streams differ by design)"));
    }

    private static void unary(List<Case> cs) {
        record U(String op, String how, Function<Tensor, Tensor> j, Function<NDArray, NDArray> t, float lo, float hi) {}
        List<U> ops = List.of(
                new U("exp", "", Tensor::exp, NDArray::exp, -3, 3),
                new U("log", "", Tensor::log, NDArray::log, 0.05f, 4),
                new U("sqrt", "", Tensor::sqrt, NDArray::sqrt, 0.05f, 4),
                new U("rsqrt", "torch composed x^-0.5", Tensor::rsqrt, x -> x.pow(-0.5f), 0.05f, 4),
                new U("tanh", "", Tensor::tanh, NDArray::tanh, -4, 4),
                new U("sigmoid", "", Tensor::sigmoid, x -> JniUtils.sigmoid(pt(x)), -6, 6),
                new U("relu", "", Tensor::relu, x -> JniUtils.relu(pt(x)), -3, 3),
                new U("leakyRelu", "slope 0.1", x -> x.leakyRelu(0.1f), x -> JniUtils.leakyRelu(pt(x), 0.1), -3, 3),
                new U("gelu", "erf", Tensor::gelu, x -> JniUtils.gelu(pt(x)), -4, 4),
                new U("geluTanh", "torch composed tanh form", Tensor::geluTanh, ConformanceMathCases::geluTanh, -4, 4),
                new U("silu", "torch composed x*sigmoid(x)", Tensor::silu, x -> x.mul(JniUtils.sigmoid(pt(x))), -6, 6),
                new U("abs", "", Tensor::abs, NDArray::abs, -3, 3),
                new U("neg", "", Tensor::neg, NDArray::neg, -3, 3),
                new U("square", "", Tensor::square, NDArray::square, -3, 3),
                new U("clamp", "[-0.5,0.7]", x -> x.clamp(-0.5f, 0.7f), x -> x.clip(-0.5f, 0.7f), -2, 2));
        for (U u : ops) {
            String pre = u.how().isEmpty() ? "" : u.how() + ", ";
            int[][] shapes = {{7, 13}, {1}, {1025}, {2, 3, 17}, {300, 1000}};
            for (int[] s : shapes) {
                cs.add(c(u.op(), pre + f(s).str(), EW, List.of(f(s).range(u.lo(), u.hi())),
                        x -> u.j().apply(x[0]), x -> u.t().apply(x[0])));
            }
            float wide = u.op().equals("log") || u.op().contains("sqrt") ? u.hi() * 1e4f : 100;
            float wideLo = u.lo() > 0 ? 1e-30f : -wide;
            cs.add(c(u.op(), pre + "wide range 4097 in [" + wideLo + "," + wide + "]", EW,
                    List.of(f(4097).range(wideLo, wide)), x -> u.j().apply(x[0]), x -> u.t().apply(x[0])));
            float gLo = u.lo() > 0 ? 0 : -1;
            cs.add(c(u.op(), pre + "ties/kinks 9x11 on a 0.5 grid in [" + gLo + ",1]", EW,
                    List.of(f(9, 11).range(gLo, 1).grid()),
                    x -> u.j().apply(x[0]), x -> u.t().apply(x[0])));
            cs.add(c(u.op(), pre + f(17, 9).t().str(), EW, List.of(f(17, 9).t().range(u.lo(), u.hi())),
                    x -> u.j().apply(x[0]), x -> u.t().apply(x[0])));
        }
    }

    /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), PyTorch's gelu(approximate='tanh'). */
    private static NDArray geluTanh(NDArray x) {
        NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
        return x.mul(0.5f).mul(inner.tanh().add(1f));
    }

    private static void reductions(List<Case> cs) {
        int[] s3 = {3, 5, 7};
        cs.add(c("sum", "all 7x13", red(91), List.of(f(7, 13)), x -> x[0].sum(), x -> x[0].sum()));
        cs.add(c("sum", "axis 1 keepdim 3x5x7", red(5), List.of(f(s3)),
                x -> x[0].sum(1, true), x -> x[0].sum(new int[] {1}, true)));
        cs.add(c("sum", "axes 0,2 3x5x7", red(21), List.of(f(s3)),
                x -> x[0].sum(new int[] {0, 2}, false), x -> x[0].sum(new int[] {0, 2}, false)));
        cs.add(c("sum", "axis -1 19x300^T", red(300), List.of(f(19, 300).t()),
                x -> x[0].sum(-1, false), x -> x[0].sum(new int[] {1}, false)));
        cs.add(c("sum", "axis 0 keepdim 4096x33 (parallel)", red(4096), List.of(f(4096, 33)),
                x -> x[0].sum(0, true), x -> x[0].sum(new int[] {0}, true)));
        cs.add(c("sum", "all 300x1000 (parallel)", red(300000), List.of(f(300, 1000)), x -> x[0].sum(), x -> x[0].sum()));
        cs.add(c("max", "axis 1 500x700 (parallel)", EW, List.of(f(500, 700)),
                x -> x[0].max(1, false), x -> x[0].max(new int[] {1}, false)));
        cs.add(c("mean", "all 1025", red(1025), List.of(f(1025)), x -> x[0].mean(), x -> x[0].mean()));
        cs.add(c("mean", "axis 0 keepdim 3x5x7", red(3), List.of(f(s3)),
                x -> x[0].mean(0, true), x -> x[0].mean(new int[] {0}, true)));
        cs.add(c("mean", "axes 1,2 keepdim 3x5x7", red(35), List.of(f(s3)),
                x -> x[0].mean(new int[] {1, 2}, true), x -> x[0].sum(new int[] {1, 2}, true).div(35f)));
        cs.add(c("mean", "axis 0 33x17^T", red(33), List.of(f(33, 17).t()),
                x -> x[0].mean(0, false), x -> x[0].mean(new int[] {0}, false)));
        for (String op : List.of("max", "min")) {
            boolean mx = op.equals("max");
            cs.add(c(op, "all 7x13", EW, List.of(f(7, 13)), x -> mx ? x[0].max() : x[0].min(),
                    x -> mx ? x[0].max() : x[0].min()));
            cs.add(c(op, "axis 1 keepdim 3x5x7", EW, List.of(f(s3)),
                    x -> mx ? x[0].max(1, true) : x[0].min(1, true),
                    x -> mx ? x[0].max(new int[] {1}, true) : x[0].min(new int[] {1}, true)));
            cs.add(c(op, "axis 2 3x5x7", EW, List.of(f(s3)),
                    x -> mx ? x[0].max(2, false) : x[0].min(2, false),
                    x -> mx ? x[0].max(new int[] {2}, false) : x[0].min(new int[] {2}, false)));
            cs.add(c(op, "axis 0 9x4^T", EW, List.of(f(9, 4).t()),
                    x -> mx ? x[0].max(0, false) : x[0].min(0, false),
                    x -> mx ? x[0].max(new int[] {0}, false) : x[0].min(new int[] {0}, false)));
        }
        for (String op : List.of("max", "min")) {
            boolean mx = op.equals("max");
            cs.add(c(op, "ties all 6x5 on a 0.5 grid", EW, List.of(f(6, 5).range(-1, 1).grid()),
                    x -> mx ? x[0].max() : x[0].min(), x -> mx ? x[0].max() : x[0].min()));
            cs.add(c(op, "ties axis 1 6x9 on a 0.5 grid", EW, List.of(f(6, 9).range(-1, 1).grid()),
                    x -> mx ? x[0].max(1, false) : x[0].min(1, false),
                    x -> mx ? x[0].max(new int[] {1}, false) : x[0].min(new int[] {1}, false)));
        }
        cs.add(values("argmax", "ties axis 1 6x9 on a 0.5 grid", List.of(f(6, 9).range(-1, 1).grid().noGrad()),
                x -> x[0].argmax(1, false), x -> x[0].argMax(1)));
        cs.add(values("argmax", "all 7x13", List.of(f(7, 13).noGrad()), x -> x[0].argmax(), x -> x[0].argMax()));
        cs.add(values("argmax", "axis 1 3x5x7", List.of(f(s3).noGrad()), x -> x[0].argmax(1, false), x -> x[0].argMax(1)));
        cs.add(values("argmax", "axis 0 keepdim 6x4^T", List.of(f(6, 4).t().noGrad()),
                x -> x[0].argmax(0, true), x -> JniUtils.argMax(pt(x[0]), 0, true)));
        cs.add(values("argmin", "axis 2 3x5x7", List.of(f(s3).noGrad()), x -> x[0].argmin(2, false), x -> x[0].argMin(2)));
        cs.add(c("var", "all unbiased 7x13, torch composed", red(91), List.of(f(7, 13)),
                x -> x[0].var(true), x -> var(x[0], null, false, 1)));
        cs.add(c("var", "axis 1 biased keepdim 3x5x7, torch composed", red(5), List.of(f(s3)),
                x -> x[0].var(1, true, false), x -> var(x[0], new int[] {1}, true, 0)));
        cs.add(c("var", "axes 0,2 unbiased 3x5x7, torch composed", red(21), List.of(f(s3)),
                x -> x[0].var(new int[] {0, 2}, false, true), x -> var(x[0], new int[] {0, 2}, false, 1)));
        cs.add(c("var", "axis 0 unbiased 12x5^T, torch composed", red(12), List.of(f(12, 5).t()),
                x -> x[0].var(0, false, true), x -> var(x[0], new int[] {0}, false, 1)));
        cs.add(c("logsumexp", "axis 1 3x5x7, torch composed", red(5), List.of(f(s3).range(-5, 5)),
                x -> x[0].logsumexp(1, false), x -> logsumexp(x[0], new int[] {1}, false)));
        cs.add(c("logsumexp", "axes 0,2 keepdim 3x5x7, torch composed", red(21), List.of(f(s3).range(-5, 5)),
                x -> x[0].logsumexp(new int[] {0, 2}, true), x -> logsumexp(x[0], new int[] {0, 2}, true)));
        cs.add(c("logsumexp", "axis 0 40x3^T, torch composed", red(40), List.of(f(40, 3).t().range(-20, 20)),
                x -> x[0].logsumexp(0, false), x -> logsumexp(x[0], new int[] {0}, false)));
        cs.add(c("logsumexp", "axis 1 16x3000 wide range, torch composed", red(3000), List.of(f(16, 3000).range(-100, 100)),
                x -> x[0].logsumexp(1, false), x -> logsumexp(x[0], new int[] {1}, false)));
        for (String op : List.of("softmax", "logSoftmax")) {
            boolean sm = op.equals("softmax");
            Object[][] cases = {{new int[] {4, 10}, -1, false}, {new int[] {3, 5, 7}, 1, false},
                    {new int[] {2, 1000}, 1, false}, {new int[] {13, 6}, 0, true}, {new int[] {1, 1}, 1, false},
                    {new int[] {64, 4097}, 1, false}, {new int[] {8, 50}, 1, false, 100f}};
            for (Object[] k : cases) {
                int[] s = (int[]) k[0];
                int axis = (int) k[1];
                float r = k.length > 3 ? (float) k[3] : 6;
                In in = f(s).range(-r, r);
                in = (boolean) k[2] ? in.t() : in;
                int ax = axis < 0 ? s.length + axis : axis;
                cs.add(c(op, "axis " + axis + " " + in.str(), red(s[ax]), List.of(in),
                        x -> sm ? x[0].softmax(axis) : x[0].logSoftmax(axis),
                        x -> sm ? x[0].softmax(ax) : x[0].logSoftmax(ax)));
            }
        }
    }

    /** Variance as its definition: sum((x - mean)^2) / (n - correction). */
    private static NDArray var(NDArray x, int[] axes, boolean keepdim, int correction) {
        int[] ax = axes == null ? allAxes(x) : axes;
        long n = 1;
        for (int a : ax) {
            n *= x.getShape().get(a);
        }
        NDArray d = x.sub(x.sum(ax, true).div((float) n));
        return d.mul(d).sum(ax, keepdim).div((float) (n - correction));
    }

    /** log(sum(exp(x - max))) + max, with the max held constant as in PyTorch's logsumexp. */
    private static NDArray logsumexp(NDArray x, int[] axes, boolean keepdim) {
        NDArray m = x;
        for (int a : axes) {
            m = m.max(new int[] {a}, true);
        }
        m = m.stopGradient();
        NDArray r = x.sub(m).exp().sum(axes, true).log().add(m);
        return keepdim ? r : r.squeeze(axes);
    }

    private static int[] allAxes(NDArray x) {
        int[] a = new int[x.getShape().dimension()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }
}
