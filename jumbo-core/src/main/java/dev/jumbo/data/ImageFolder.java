package dev.jumbo.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads an image classification folder: one subfolder per class (sorted by name: class 0, 1, ...),
 * PNG or JPEG files inside (other files are ignored), decoded with {@code javax.imageio} into a
 * {@link TensorDataset} of {@code [C,H,W]} floats in [0,1].
 *
 * <p>Channels: 1 (grayscale: luma {@code 0.299 R + 0.587 G + 0.114 B}; gray images as stored) or
 * 3 (RGB; gray images repeated). Size: with {@code resize(h, w)} every image is resized (bilinear,
 * PyTorch's {@code align_corners=False}); without it all images must have the first image's size,
 * and a mismatch is an error naming the file and both sizes.
 *
 * <pre>{@code
 * TensorDataset pets = ImageFolder.read(Path.of("pets"), ImageFolder.options().channels(3).resize(64, 64));
 * }</pre>
 */
public final class ImageFolder {
    private ImageFolder() {}

    /** Grayscale, sizes must match. */
    public static Options options() {
        return new Options(1, 0, 0);
    }

    /** Channels (1 or 3) and the target size ({@code 0, 0}: keep, all equal). */
    public record Options(int channels, int height, int width) {
        public Options channels(int c) {
            return new Options(c, height, width);
        }

        public Options resize(int h, int w) {
            return new Options(channels, h, w);
        }
    }

    /** Reads every class folder of {@code root}. */
    public static TensorDataset read(Path root, Options o) {
        if (o.channels() != 1 && o.channels() != 3) {
            throw new IllegalArgumentException("image folder " + root + ": channels " + o.channels() + ": expected 1 or 3");
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("image folder " + root + ": not a directory");
        }
        List<Path> classDirs = list(root).stream().filter(Files::isDirectory).toList();
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException("image folder " + root + ": no class subfolders: expected one folder per class");
        }
        List<String> classNames = new ArrayList<>();
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int h = o.height();
        int w = o.width();
        Path sizeFrom = null;
        for (Path dir : classDirs) {
            int label = classNames.size();
            classNames.add(dir.getFileName().toString());
            List<Path> files = list(dir).stream().filter(ImageFolder::isImage).toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException("image folder " + root + ": class folder " + dir.getFileName()
                        + " has no PNG or JPEG files");
            }
            for (Path f : files) {
                BufferedImage img = decode(f);
                if (h == 0) {
                    h = img.getHeight();
                    w = img.getWidth();
                    sizeFrom = f;
                } else if (o.height() == 0 && (img.getHeight() != h || img.getWidth() != w)) {
                    throw new IllegalArgumentException("image folder " + root + ": " + root.relativize(f) + " is "
                            + img.getWidth() + "x" + img.getHeight() + " (width x height) but " + root.relativize(sizeFrom)
                            + " is " + w + "x" + h + ": expected the same size (or resize them)");
                }
                float[] px = pixels(img, o.channels());
                if (img.getHeight() != h || img.getWidth() != w) {
                    px = resize(px, o.channels(), img.getHeight(), img.getWidth(), h, w);
                }
                images.add(px);
                labels.add(label);
            }
        }
        int per = o.channels() * h * w;
        float[] x = new float[images.size() * per];
        int[] y = new int[images.size()];
        for (int i = 0; i < y.length; i++) {
            System.arraycopy(images.get(i), 0, x, i * per, per);
            y[i] = labels.get(i);
        }
        return new TensorDataset(root.getFileName().toString(), x, y, new int[] {o.channels(), h, w},
                classNames.size(), classNames);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("image folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    private static BufferedImage decode(Path f) {
        try {
            BufferedImage img = ImageIO.read(f.toFile());
            if (img == null) {
                throw new IllegalArgumentException("image " + f + ": not a PNG or JPEG image javax.imageio can decode");
            }
            return img;
        } catch (IOException e) {
            throw new IllegalArgumentException("image " + f + ": cannot decode: " + e.getMessage(), e);
        }
    }

    /**
     * The image as {@code [C,H,W]} floats in [0,1]. Gray images are read from the raster (getRGB
     * would pass them through a colour conversion that changes the values).
     */
    static float[] pixels(BufferedImage img, int channels) {
        int h = img.getHeight();
        int w = img.getWidth();
        float[] out = new float[channels * h * w];
        Raster r = img.getRaster();
        boolean gray = img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY && r.getNumBands() <= 2;
        float max = gray ? (1 << r.getSampleModel().getSampleSize(0)) - 1 : 255f;
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                float rv;
                float gv;
                float bv;
                if (gray) {
                    rv = gv = bv = r.getSample(xx, yy, 0) / max;
                } else {
                    int rgb = img.getRGB(xx, yy);
                    rv = ((rgb >> 16) & 0xff) / 255f;
                    gv = ((rgb >> 8) & 0xff) / 255f;
                    bv = (rgb & 0xff) / 255f;
                }
                int at = yy * w + xx;
                if (channels == 1) {
                    out[at] = gray ? rv : 0.299f * rv + 0.587f * gv + 0.114f * bv;
                } else {
                    out[at] = rv;
                    out[h * w + at] = gv;
                    out[2 * h * w + at] = bv;
                }
            }
        }
        return out;
    }

    /** Bilinear resize of {@code [C,H,W]} planes with half-pixel centres (align_corners=False). */
    static float[] resize(float[] src, int c, int sh, int sw, int dh, int dw) {
        float[] out = new float[c * dh * dw];
        float sy = (float) sh / dh;
        float sx = (float) sw / dw;
        for (int y = 0; y < dh; y++) {
            float fy = Math.max(0, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            float wy = fy - y0;
            for (int x = 0; x < dw; x++) {
                float fx = Math.max(0, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                float wx = fx - x0;
                for (int k = 0; k < c; k++) {
                    int p = k * sh * sw;
                    float top = src[p + y0 * sw + x0] * (1 - wx) + src[p + y0 * sw + x1] * wx;
                    float bot = src[p + y1 * sw + x0] * (1 - wx) + src[p + y1 * sw + x1] * wx;
                    out[k * dh * dw + y * dw + x] = top * (1 - wy) + bot * wy;
                }
            }
        }
        return out;
    }
}
