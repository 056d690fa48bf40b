package dev.jumbo.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * Draws training curves with Java2D: two panels, loss and accuracy against the epoch (1-based),
 * each with the training series (solid blue) and the validation series (dashed orange), axes,
 * "nice" ticks, grid lines, a legend and a title.
 *
 * <pre>{@code
 * BufferedImage img = Curves.draw(history.epochs(), "lenet5 on fashion-mnist");
 * }</pre>
 */
public final class Curves {
    static final int W = 1100;
    static final int H = 460;
    private static final Color TRAIN = new Color(0x1f77b4);
    private static final Color VAL = new Color(0xff7f0e);
    private static final Color GRID = new Color(0xe6e6e6);

    private Curves() {}

    /** The image for {@code rows} (each an epoch's logs); works for zero or one epoch too. */
    public static BufferedImage draw(List<Map<String, Double>> rows, String title) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = titled(img, title);
        try {
            panel(g, rows, "Loss", "loss", "val_loss", 0, false);
            panel(g, rows, "Accuracy", "accuracy", "val_accuracy", W / 2, true);
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Graphics for a plot on {@code img}: antialiased, a white background and {@code title} centred
     * at the top (shared by the plots of the training and experiment packages). Dispose it when done.
     */
    public static Graphics2D titled(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, (img.getWidth() - fm.stringWidth(title)) / 2, 30);
        return g;
    }

    private static void panel(Graphics2D g, List<Map<String, Double>> rows, String name, String trainKey,
            String valKey, int x0, boolean accuracy) {
        int left = x0 + 75;
        int right = x0 + W / 2 - 25;
        int top = 60;
        int bottom = H - 60;
        double[] tr = series(rows, trainKey);
        double[] va = series(rows, valKey);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] s : new double[][] {tr, va}) {
            for (double v : s) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(lo <= hi)) {
            lo = 0;
            hi = 1;
        }
        if (accuracy) {
            hi = Math.min(1, hi);
        }
        double pad = hi - lo < 1e-9 ? Math.max(0.05, Math.abs(hi) * 0.1) : (hi - lo) * 0.08;
        double yStep = niceStep((hi - lo + 2 * pad) / 5);
        double yMin = Math.floor((lo - pad) / yStep) * yStep;
        double yMax = Math.ceil((hi + pad) / yStep) * yStep;
        if (accuracy) {
            yMin = Math.max(0, yMin);
            yMax = Math.min(1, yMax);
            if (yMax <= yMin) {
                yMax = Math.min(1, yMin + yStep);
                yMin = yMax - yStep;
            }
        } else if (lo >= 0) {
            yMin = Math.max(0, yMin);
        }
        int n = rows.size();
        double xMin = 1;
        double xMax = Math.max(2, n);
        double xStep = n <= 12 ? 1 : Math.max(1, niceStep((xMax - xMin) / 8));
        Axes ax = new Axes(left, right, top, bottom, xMin, xMax, yMin, yMax);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double y = yMin; y <= yMax + yStep * 1e-6; y += yStep) {
            int py = ax.py(y);
            g.setColor(GRID);
            g.drawLine(left, py, right, py);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(left - 5, py, left, py);
            String s = label(y, yStep);
            g.drawString(s, left - 8 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        for (double x = xMin; x <= xMax + 1e-9; x += xStep) {
            int px = ax.px(x);
            g.setColor(GRID);
            g.drawLine(px, top, px, bottom);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(px, bottom, px, bottom + 5);
            String s = Long.toString(Math.round(x));
            g.drawString(s, px - fm.stringWidth(s) / 2, bottom + 8 + fm.getAscent());
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.2f));
        g.drawRect(left, top, right - left, bottom - top);
        g.drawString("epoch", (left + right - fm.stringWidth("epoch")) / 2, bottom + 40);
        Graphics2D gr = (Graphics2D) g.create();
        gr.rotate(-Math.PI / 2);
        gr.drawString(name.toLowerCase(), -(top + bottom + fm.stringWidth(name)) / 2, x0 + 20);
        gr.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(name, (left + right - g.getFontMetrics().stringWidth(name)) / 2, top - 10);

        boolean hasVal = any(va);
        line(g, ax, tr, TRAIN, false);
        line(g, ax, va, VAL, true);
        legend(g, right, accuracy ? bottom - (hasVal ? 52 : 30) : top + 8, hasVal);
    }

    private record Axes(int left, int right, int top, int bottom, double xMin, double xMax, double yMin, double yMax) {
        int px(double x) {
            return (int) Math.round(left + (x - xMin) / (xMax - xMin) * (right - left));
        }

        int py(double y) {
            return (int) Math.round(bottom - (y - yMin) / (yMax - yMin) * (bottom - top));
        }
    }

    private static void line(Graphics2D g, Axes ax, double[] s, Color c, boolean dashed) {
        g.setColor(c);
        g.setStroke(dashed ? new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {7, 5}, 0)
                : new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Double path = new Path2D.Double();
        boolean started = false;
        for (int i = 0; i < s.length; i++) {
            if (!Double.isFinite(s[i])) {
                started = false;
                continue;
            }
            double y = Math.max(ax.yMin, Math.min(ax.yMax, s[i]));
            int px = ax.px(i + 1);
            int py = ax.py(y);
            if (started) {
                path.lineTo(px, py);
            } else {
                path.moveTo(px, py);
                started = true;
            }
            g.fillOval(px - 3, py - 3, 7, 7);
        }
        g.draw(path);
        g.setStroke(new BasicStroke(1f));
    }

    private static void legend(Graphics2D g, int right, int y, boolean hasVal) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int w = 110;
        int h = hasVal ? 44 : 24;
        int x = right - w - 8;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(x, y, w, h);
        g.setColor(Color.GRAY);
        g.drawRect(x, y, w, h);
        entry(g, x + 8, y + 16, TRAIN, false, "train");
        if (hasVal) {
            entry(g, x + 8, y + 36, VAL, true, "validation");
        }
    }

    private static void entry(Graphics2D g, int x, int y, Color c, boolean dashed, String text) {
        g.setColor(c);
        g.setStroke(dashed ? new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {7, 5}, 0)
                : new BasicStroke(2.2f));
        g.drawLine(x, y - 4, x + 28, y - 4);
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.BLACK);
        g.drawString(text, x + 36, y);
    }

    private static double[] series(List<Map<String, Double>> rows, String key) {
        double[] s = new double[rows.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = rows.get(i).getOrDefault(key, Double.NaN);
        }
        return s;
    }

    private static boolean any(double[] s) {
        for (double v : s) {
            if (Double.isFinite(v)) {
                return true;
            }
        }
        return false;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    /** A 1-2-5 step at least {@code raw} (axis ticks; shared with the other plots). */
    public static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    /** {@code v} with as many decimals as {@code step} needs (axis tick labels). */
    public static String label(double v, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format("%." + decimals + "f", Math.abs(v) < step * 1e-6 ? 0.0 : v);
    }
}
