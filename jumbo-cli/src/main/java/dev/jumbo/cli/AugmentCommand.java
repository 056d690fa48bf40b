package dev.jumbo.cli;

import dev.jumbo.data.Dataset;
import dev.jumbo.data.Transform;
import dev.jumbo.data.augment.Augment;
import dev.jumbo.io.AtomicFiles;
import dev.jumbo.tensor.Rng;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jumbo augment --data fashion-mnist --preview grid.png [--n 8] [--versions 4] [--seed S]
 * [--pipeline flip|standard|strong] [--json]}: a PNG grid of the first {@code n} training images (top
 * row) and {@code versions} augmented versions of each below them, as the training loader would
 * make them, written atomically.
 */
@Command(name = "augment", mixinStandardHelpOptions = true,
        description = "Preview data augmentation: a PNG grid of original and augmented training images.")
public final class AugmentCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "fashion-mnist", description = "fashion-mnist or mnist. Default: ${DEFAULT-VALUE}.")
    String data;
    @Option(names = "--preview", required = true, description = "The PNG grid to write.")
    Path preview;
    @Option(names = "--n", defaultValue = "8", description = "Images (columns). Default: ${DEFAULT-VALUE}.")
    int n;
    @Option(names = "--versions", defaultValue = "4", description = "Augmented rows below the originals. Default: ${DEFAULT-VALUE}.")
    int versions;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the augmentation. Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--pipeline", defaultValue = "standard",
            description = "flip (hflip), standard (crop pad 2 + hflip) or strong (+ rotation 10, erasing 0.5). Default: ${DEFAULT-VALUE}.")
    String pipeline;
    @Option(names = "--zoom", defaultValue = "3", description = "Screen pixels per image pixel. Default: ${DEFAULT-VALUE}.")
    int zoom;
    @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (n < 1 || versions < 1 || zoom < 1 || zoom > 16) {
            throw new IllegalArgumentException("augment: --n " + n + ", --versions " + versions + ", --zoom " + zoom
                    + ": expected n >= 1, versions >= 1 and zoom in [1, 16]");
        }
        Dataset d = RunFiles.dataset(data, true, n, spec.commandLine().getErr());
        if (d == null) {
            return 1;
        }
        int[] shape = d.exampleShape();
        if (shape.length != 3 || shape[0] != 1) {
            throw new IllegalArgumentException("augment: --data " + data + " has examples " + java.util.Arrays.toString(shape)
                    + ": expected grayscale images [1,H,W]");
        }
        int h = shape[1];
        int w = shape[2];
        if (pipeline.equals("none")) {
            throw new IllegalArgumentException("augment: --pipeline 'none': expected one of flip, standard, strong");
        }
        Transform t = Augment.named(pipeline, shape);
        int cols = Math.min(n, d.size());
        int size = d.exampleSize();
        int gap = 2;
        BufferedImage img = new BufferedImage(cols * (w * zoom + gap) + gap, (versions + 1) * (h * zoom + gap) + gap + gap,
                BufferedImage.TYPE_BYTE_GRAY);
        fillGray(img, 96);
        float[] x = new float[size];
        float[] orig = new float[size];
        double change = 0;
        long t0 = System.nanoTime();
        for (int c = 0; c < cols; c++) {
            d.read(c, orig, 0);
            draw(img, orig, h, w, c, 0);
            for (int v = 0; v < versions; v++) {
                System.arraycopy(orig, 0, x, 0, size);
                t.apply(x, 0, shape, new Rng(seed * 1_000_003L + (long) v * 7919 + c));
                draw(img, x, h, w, c, v + 1);
                for (int i = 0; i < size; i++) {
                    change += Math.abs(x[i] - orig[i]);
                }
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        AtomicFiles.write(preview, o -> ImageIO.write(img, "png", o));
        new Figures("augment")
                .add("data", "data", data, "")
                .add("pipeline", "pipeline", t.toString(), "")
                .add("images", "images (columns)", cols, "")
                .add("versions", "augmented rows", versions, "")
                .add("seed", "seed", seed, "")
                .add("mean_abs_change", "mean |augmented - original| per pixel", change / ((double) cols * versions * size), "")
                .add("preview", "preview", preview.toString(), "")
                .add("width", "width", img.getWidth(), "px")
                .add("height", "height", img.getHeight(), "px")
                .add("augment_ms", "augmentation time", ms, "ms")
                .print(out, json);
        out.flush();
        return 0;
    }

    private static void fillGray(BufferedImage img, int v) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.getRaster().setSample(x, y, 0, v);
            }
        }
    }

    /** Image {@code px} ([0,1] floats, clamped) at grid cell (col, row); the originals' row has an extra gap below. */
    private void draw(BufferedImage img, float[] px, int h, int w, int col, int row) {
        int gap = 2;
        int x0 = gap + col * (w * zoom + gap);
        int y0 = gap + row * (h * zoom + gap) + (row > 0 ? gap : 0);
        for (int y = 0; y < h * zoom; y++) {
            for (int x = 0; x < w * zoom; x++) {
                float v = px[(y / zoom) * w + x / zoom];
                int g = Math.round(Math.max(0f, Math.min(1f, v)) * 255);
                img.getRaster().setSample(x0 + x, y0 + y, 0, g);
            }
        }
    }
}
