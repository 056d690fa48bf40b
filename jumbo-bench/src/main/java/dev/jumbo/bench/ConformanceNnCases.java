package dev.jumbo.bench;

import static dev.jumbo.bench.Conformance.In.f;
import static dev.jumbo.bench.Conformance.In.ints;
import static dev.jumbo.bench.Conformance.In.pos;
import static dev.jumbo.bench.Conformance.pt;
import static dev.jumbo.bench.ConformanceMathCases.EW;
import static dev.jumbo.bench.ConformanceMathCases.c;
import static dev.jumbo.bench.ConformanceMathCases.red;
import static dev.jumbo.bench.ConformanceMathCases.values;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.jni.JniUtils;
import dev.jumbo.bench.Conformance.Case;
import dev.jumbo.bench.Conformance.In;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Conformance cases for products, convolution, pooling, normalization and indexing. */
final class ConformanceNnCases {

    private ConformanceNnCases() {
    }

    static List<Case> all() {
        List<Case> cs = new ArrayList<>();
        products(cs);
        convolutions(cs);
        pooling(cs);
        norms(cs);
        indexing(cs);
        return cs;
    }

    private static void products(List<Case> cs) {
        Object[][] mm = {
                {f(7, 13), f(13, 5), 13}, {f(17, 33).t(), f(33, 9), 33}, {f(65, 129), f(129, 31).t(), 129},
                {f(2, 3, 4, 5), f(5, 6), 5}, {f(2, 1, 4, 5), f(3, 5, 6), 5}, {f(4, 5), f(5), 5},
                {f(5), f(5, 3), 5}, {f(17), f(17), 17}, {f(1, 1), f(1, 1), 1}, {f(5), f(2, 5, 3), 5}, {f(2, 4, 5), f(5), 5},
                {f(200, 300), f(300, 150), 300}, {f(3, 70, 40), f(3, 40, 90).t(), 40}};
        for (Object[] k : mm) {
            In a = (In) k[0];
            In b = (In) k[1];
            cs.add(c("matmul", a.str() + " @ " + b.str(), red((int) k[2]), List.of(a, b),
                    x -> x[0].matmul(x[1]), x -> x[0].matMul(x[1])));
        }
        Object[][] lin = {{f(4, 6), f(5, 6)}, {f(2, 3, 6), f(5, 6)}, {f(33, 6).t(), f(1, 6)}, {f(96, 200), f(150, 200)}};
        for (Object[] k : lin) {
            In x0 = (In) k[0];
            In w = (In) k[1];
            In b = f(w.shape()[0]);
            cs.add(c("linear", x0.str() + ", w " + w.str() + " + bias", red(6), List.of(x0, w, b),
                    x -> Tensor.linear(x[0], x[1], x[2]), x -> JniUtils.linear(pt(x[0]), pt(x[1]), pt(x[2]))));
        }
    }

    private static void convolutions(List<Case> cs) {
        // input, weight, stride, padding, dilation, groups
        Object[][] c2 = {
                {f(2, 3, 9, 9), f(4, 3, 3, 3), new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1},
                {f(2, 3, 10, 11), f(5, 3, 3, 3), new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 1},
                {f(1, 2, 12, 9), f(3, 2, 3, 3), new int[] {1, 1}, new int[] {2, 2}, new int[] {2, 2}, 1},
                {f(2, 4, 8, 7), f(6, 2, 3, 3), new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 2},
                {f(2, 4, 7, 7), f(4, 1, 3, 3), new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, 4},
                {f(1, 3, 9, 8), f(2, 3, 3, 2), new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 1},
                {f(3, 5, 6, 5).t(), f(7, 5, 1, 1), new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1},
                {f(1, 1, 28, 28), f(6, 1, 5, 5), new int[] {1, 1}, new int[] {2, 2}, new int[] {1, 1}, 1},
                {f(8, 16, 20, 20), f(32, 16, 3, 3), new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1},
                {f(1, 2, 4, 5), f(3, 2, 1, 1), new int[] {1, 1}, new int[] {2, 1}, new int[] {1, 1}, 1},
                {f(1, 2, 11, 10), f(3, 2, 2, 2), new int[] {3, 4}, new int[] {0, 1}, new int[] {1, 1}, 1},
                {f(4, 32, 15, 15), f(32, 4, 3, 3), new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 8}};
        for (Object[] k : c2) {
            In x0 = (In) k[0];
            In w = (In) k[1];
            int[] s = (int[]) k[2];
            int[] p = (int[]) k[3];
            int[] d = (int[]) k[4];
            int g = (int) k[5];
            int kk = w.shape()[1] * w.shape()[2] * w.shape()[3];
            String label = String.format("%s w %s s%s p%s d%s g%d", x0.str(), w.str(), str(s), str(p), str(d), g);
            cs.add(c("conv2d", label, red(kk), List.of(x0, w, f(w.shape()[0])),
                    x -> x[0].conv2d(x[1], x[2], s, p, d, g),
                    x -> JniUtils.convolution(pt(x[0]), pt(x[1]), pt(x[2]), shape(s), shape(p), shape(d), g)));
        }
        Object[][] c1 = {{f(2, 3, 17), f(4, 3, 5), 1, 0, 1, 1}, {f(2, 3, 17), f(4, 3, 5), 2, 2, 1, 1},
                {f(1, 4, 20), f(6, 2, 3), 1, 2, 2, 2}, {f(3, 2, 9).t(), f(2, 2, 2), 3, 1, 1, 1}};
        for (Object[] k : c1) {
            In x0 = (In) k[0];
            In w = (In) k[1];
            int s = (int) k[2];
            int p = (int) k[3];
            int d = (int) k[4];
            int g = (int) k[5];
            String label = String.format("%s w %s s%d p%d d%d g%d", x0.str(), w.str(), s, p, d, g);
            cs.add(c("conv1d", label, red(w.shape()[1] * w.shape()[2]), List.of(x0, w, f(w.shape()[0])),
                    x -> x[0].conv1d(x[1], x[2], s, p, d, g),
                    x -> JniUtils.convolution(pt(x[0]), pt(x[1]), pt(x[2]), new Shape(s), new Shape(p), new Shape(d), g)));
        }
    }

    private static void pooling(List<Case> cs) {
        // input, kernel, stride, padding
        Object[][] pools = {{f(2, 3, 8, 8), 2, 2, 0}, {f(1, 2, 7, 9), 3, 2, 1}, {f(2, 2, 6, 5).t(), 2, 1, 1},
                {f(1, 1, 5, 5), 5, 5, 0}, {f(1, 2, 6, 6).range(-1, 1).grid(), 2, 1, 0}, {f(1, 1, 9, 9), 3, 3, 1}, {f(8, 16, 32, 32), 3, 2, 1}};
        for (Object[] k : pools) {
            In x0 = (In) k[0];
            int kk = (int) k[1];
            int s = (int) k[2];
            int p = (int) k[3];
            String label = String.format("%s k%d s%d p%d", x0.str(), kk, s, p);
            Shape ks = new Shape(kk, kk);
            Shape ss = new Shape(s, s);
            Shape ps = new Shape(p, p);
            cs.add(c("maxPool2d", label, EW, List.of(x0), x -> x[0].maxPool2d(kk, s, p),
                    x -> JniUtils.maxPool(pt(x[0]), ks, ss, ps, false)));
            cs.add(c("avgPool2d", label + " count_include_pad", red(kk * kk), List.of(x0), x -> x[0].avgPool2d(kk, s, p),
                    x -> JniUtils.avgPool(pt(x[0]), ks, ss, ps, false, true)));
        }
        int[][] ad = {{2, 3, 8, 8, 4, 4}, {1, 2, 7, 9, 3, 4}, {2, 2, 5, 6, 1, 1}, {1, 2, 3, 5, 5, 7}, {1, 1, 10, 7, 4, 3}, {1, 3, 6, 5, 6, 5}, {1, 1, 4, 4, 3, 3}};
        for (int[] k : ad) {
            In x0 = f(k[0], k[1], k[2], k[3]);
            cs.add(c("adaptiveAvgPool2d", x0.str() + " -> " + k[4] + "x" + k[5], red(k[2] * k[3]), List.of(x0),
                    x -> x[0].adaptiveAvgPool2d(k[4], k[5]),
                    x -> JniUtils.adaptiveAvgPool(pt(x[0]), new Shape(k[4], k[5]))));
        }
    }

    private static void norms(List<Case> cs) {
        Object[][] ln = {{f(4, 7), new int[] {7}}, {f(2, 3, 5), new int[] {3, 5}}, {f(64, 3).t(), new int[] {3}}, {f(40, 768), new int[] {768}},
                {f(5, 1), new int[] {1}}};
        for (Object[] k : ln) {
            In x0 = (In) k[0];
            int[] ns = (int[]) k[1];
            int n = 1;
            for (int v : ns) {
                n *= v;
            }
            Shape nshape = shape(ns);
            cs.add(c("layerNorm", x0.str() + " over " + str(ns) + " affine", red(n), List.of(x0, f(ns), f(ns)),
                    x -> x[0].layerNorm(ns, x[1], x[2], 1e-5f),
                    x -> JniUtils.layerNorm(pt(x[0]), nshape, pt(x[1]), pt(x[2]), 1e-5)));
        }
        cs.add(c("rmsNorm", "6x16 torch composed", red(16), List.of(f(6, 16), f(16)),
                x -> x[0].rmsNorm(x[1], 1e-6f),
                x -> x[0].mul(x[0].square().mean(new int[] {1}, true).add(1e-6f).pow(-0.5f)).mul(x[1])));
        // input shape, training; outputs y, runningMean, runningVar (the last two updated in place)
        Object[][] bn = {{new int[] {4, 3, 5, 5}, true}, {new int[] {4, 3, 5, 5}, false}, {new int[] {8, 5}, true},
                {new int[] {8, 5}, false}, {new int[] {2, 6, 7}, true}, {new int[] {1, 2, 3, 3}, true},
                {new int[] {32, 16, 12, 12}, true}, {new int[] {256, 64}, true}};
        for (Object[] k : bn) {
            int[] s = (int[]) k[0];
            boolean train = (boolean) k[1];
            int ch = s[1];
            int spatial = 1;
            for (int i = 2; i < s.length; i++) {
                spatial *= s[i];
            }
            In x0 = f(s).range(-2, 3);
            List<In> ins = List.of(x0, f(ch).noGrad().range(-0.5f, 0.5f), pos(ch).noGrad(), f(ch), f(ch));
            String label = x0.str() + (train ? " train, y + running stats" : " eval");
            cs.add(new Case("batchNorm", label, red(s[0] * spatial), ins, 1,
                    x -> new Tensor[] {x[0].batchNorm(x[1], x[2], x[3], x[4], train, 0.1f, 1e-5f), x[1], x[2]},
                    x -> new NDArray[] {JniUtils.batchNorm(pt(x[0]), pt(x[1]), pt(x[2]), pt(x[3]), pt(x[4]),
                            train, 0.1, 1e-5), x[1], x[2]}));
        }
    }

    private static void indexing(List<Case> cs) {
        cs.add(c("embedding", "10x4 by 2x3", EW, List.of(f(10, 4), ints(10, 2, 3)),
                x -> Tensor.embedding(x[0], x[1]),
                x -> x[1].getNDArrayInternal().embedding(x[1], x[0], SparseFormat.DENSE).singletonOrThrow()));
        cs.add(c("embedding", "3x7 by 20 (repeats)", EW, List.of(f(3, 7), ints(3, 20)),
                x -> Tensor.embedding(x[0], x[1]),
                x -> x[1].getNDArrayInternal().embedding(x[1], x[0], SparseFormat.DENSE).singletonOrThrow()));
        cs.add(c("gather", "axis 1 3x5 by 3x4", EW, List.of(f(3, 5), ints(5, 3, 4)),
                x -> x[0].gather(1, x[1]), x -> x[0].gather(x[1], 1)));
        cs.add(c("gather", "axis 0 4x6^T by 7x6", EW, List.of(f(4, 6).t(), ints(4, 7, 6)),
                x -> x[0].gather(0, x[1]), x -> x[0].gather(x[1], 0)));
        cs.add(c("gather", "axis 1 3x5 by smaller 2x4", EW, List.of(f(3, 5), ints(5, 2, 4)),
                x -> x[0].gather(1, x[1]), x -> x[0].gather(x[1], 1)));
        cs.add(c("gather", "axis 2 2x3x4 by 2x3x9", EW, List.of(f(2, 3, 4), ints(4, 2, 3, 9)),
                x -> x[0].gather(2, x[1]), x -> x[0].gather(x[1], 2)));
        cs.add(c("indexSelect", "axis 0 6x4 by 9", EW, List.of(f(6, 4), ints(6, 9)),
                x -> x[0].indexSelect(0, x[1]), x -> x[0].get(new NDIndex("{}", x[1]))));
        cs.add(c("indexSelect", "axis 1 3x8x2 by 5", EW, List.of(f(3, 8, 2), ints(8, 5)),
                x -> x[0].indexSelect(1, x[1]), x -> x[0].get(new NDIndex(":, {}", x[1]))));
        cs.add(c("indexSelect", "axis 1 5x7^T by 4", EW, List.of(f(5, 7).t(), ints(5, 4)),
                x -> x[0].indexSelect(1, x[1]), x -> x[0].get(new NDIndex(":, {}", x[1]))));
        cs.add(c("concat", "axis 0 2x3, 4x3, 1x3", EW, List.of(f(2, 3), f(4, 3), f(1, 3)),
                x -> Tensor.concat(0, x), x -> NDArrays.concat(new NDList(x), 0)));
        cs.add(c("concat", "axis 1 2x3x4, 2x1x4^T, 2x5x4", EW, List.of(f(2, 3, 4), f(2, 1, 4).t(), f(2, 5, 4)),
                x -> Tensor.concat(1, x), x -> NDArrays.concat(new NDList(x), 1)));
        cs.add(c("stack", "axis 0 3 x 2x5", EW, List.of(f(2, 5), f(2, 5), f(2, 5)),
                x -> Tensor.stack(0, x), x -> NDArrays.stack(new NDList(x), 0)));
        cs.add(c("stack", "axis 2 2x3^T, 2x3", EW, List.of(f(2, 3).t(), f(2, 3)),
                x -> Tensor.stack(2, x), x -> NDArrays.stack(new NDList(x), 2)));
        cs.add(values("oneHot", "7 indices, 5 classes", List.of(ints(5, 7)),
                x -> Tensor.oneHot(x[0], 5), x -> x[0].oneHot(5)));
        cs.add(values("oneHot", "2x3 indices, 4 classes", List.of(ints(4, 2, 3)),
                x -> Tensor.oneHot(x[0], 4), x -> x[0].oneHot(4)));
        cs.add(new Case("split", "axis 1 4x9 into 2,3,4", EW, List.of(f(4, 9)), 3,
                x -> x[0].split(1, 2, 3, 4), x -> x[0].split(new long[] {2, 5}, 1).toArray(new NDArray[0])));
        cs.add(new Case("chunk", "axis 0 7x3^T into 3", EW, List.of(f(7, 3).t()), 3,
                x -> x[0].chunk(0, 3), x -> x[0].split(new long[] {3, 6}, 0).toArray(new NDArray[0])));
    }

    private static Shape shape(int[] v) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = v[i];
        }
        return new Shape(l);
    }

    private static String str(int[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.toString();
    }
}
