package dev.jumbo.train.experiment;

import dev.jumbo.io.AtomicFiles;
import dev.jumbo.train.Curves;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws {@code generalization.png}: one bar per variant in two panels, test accuracy (mean with a
 * whisker of ± one standard deviation over seeds, the training-set accuracy as a tick above it) and
 * the train-test gap.
 *
 * <pre>{@code
 * GeneralizationPlot.write(Path.of("generalization.png"), results, "lenet5 on fashion-mnist, 1,000 images");
 * }</pre>
 */
public final class GeneralizationPlot {
    private static final int W = 1200;
    private static final int H = 540;
    private static final Color BAR = new Color(0x1f77b4);
    private static final Color GAP = new Color(0xff7f0e);
    private static final Color GRID = new Color(0xe6e6e6);

    private GeneralizationPlot() {}

    /** Writes the plot of {@code results} to {@code png} atomically. */
    public static void write(Path png, List<VariantResult> results, String title) throws IOException {
        BufferedImage img = draw(results, title);
        AtomicFiles.write(png, out -> ImageIO.write(img, "png", out));
    }

    /** The image for {@code results}. */
    public static BufferedImage draw(List<VariantResult> results, String title) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Curves.titled(img, title);
        try {
            panel(g, results, "Test accuracy (mean \u00b1 std; tick: train accuracy)", 0, BAR,
                    VariantResult::testMean, true);
            panel(g, results, "Train-test gap", W / 2, GAP, VariantResult::gap, false);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void panel(Graphics2D g, List<VariantResult> rs, String name, int x0, Color color,
            ToDoubleFunction<VariantResult> value, boolean accuracy) {
        int left = x0 + 80;
        int right = x0 + W / 2 - 30;
        int top = 70;
        int bottom = H - 140;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (VariantResult r : rs) {
            double v = value.applyAsDouble(r);
            double spread = accuracy ? r.testStd() : 0;
            double top2 = accuracy ? Math.max(v + spread, r.trainMean()) : v;
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v - spread);
                hi = Math.max(hi, top2);
            }
        }
        if (!(lo <= hi)) {
            lo = 0;
            hi = 1;
        }
        // Accuracy bars start near the lowest value so differences of a point stay visible; gaps start at 0.
        double pad = Math.max(hi - lo, 0.01) * 0.15;
        double step = Curves.niceStep((hi - lo + 2 * pad) / 5);
        double yMin = accuracy ? Math.max(0, Math.floor((lo - 2 * pad) / step) * step) : Math.min(0, Math.floor(lo / step) * step);
        double yMax = Math.ceil((hi + pad) / step) * step;
        if (accuracy) {
            yMax = Math.min(1, yMax);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double y = yMin; y <= yMax + step * 1e-6; y += step) {
            int py = py(y, yMin, yMax, top, bottom);
            g.setColor(GRID);
            g.drawLine(left, py, right, py);
            g.setColor(Color.DARK_GRAY);
            String s = Curves.label(100 * y, 100 * step) + "%";
            g.drawString(s, left - 8 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        int n = Math.max(1, rs.size());
        double slot = (right - left) / (double) n;
        int barW = (int) Math.max(8, slot * 0.6);
        for (int i = 0; i < rs.size(); i++) {
            VariantResult r = rs.get(i);
            double v = value.applyAsDouble(r);
            int cx = (int) Math.round(left + slot * (i + 0.5));
            if (Double.isFinite(v)) {
                int py = py(Math.max(yMin, Math.min(yMax, v)), yMin, yMax, top, bottom);
                int base = py(Math.max(yMin, Math.min(yMax, accuracy ? yMin : 0)), yMin, yMax, top, bottom);
                g.setColor(color);
                g.fillRect(cx - barW / 2, Math.min(py, base), barW, Math.abs(base - py));
                g.setColor(Color.BLACK);
                if (accuracy) {
                    g.setStroke(new BasicStroke(1.5f));
                    int a = py(Math.min(yMax, v + r.testStd()), yMin, yMax, top, bottom);
                    int b = py(Math.max(yMin, v - r.testStd()), yMin, yMax, top, bottom);
                    g.drawLine(cx, a, cx, b);
                    g.drawLine(cx - 6, a, cx + 6, a);
                    g.drawLine(cx - 6, b, cx + 6, b);
                    int t = py(Math.max(yMin, Math.min(yMax, r.trainMean())), yMin, yMax, top, bottom);
                    g.setColor(new Color(0x2ca02c));
                    g.setStroke(new BasicStroke(3f));
                    g.drawLine(cx - barW / 2, t, cx + barW / 2, t);
                    g.setStroke(new BasicStroke(1f));
                }
                g.setColor(Color.BLACK);
                String s = String.format("%.2f%%", 100 * v);
                // Above the bar, and above the whisker when there is one.
                int above = accuracy ? py(Math.min(yMax, v + r.testStd()), yMin, yMax, top, bottom) : py;
                g.drawString(s, cx - fm.stringWidth(s) / 2, Math.min(Math.min(py, base), above) - 4);
            }
            // Labels end under their bar and rise to the left, so the last one stays inside the image.
            Graphics2D gr = (Graphics2D) g.create();
            gr.translate(cx + 4, bottom + 16);
            gr.rotate(-Math.PI / 6);
            gr.drawString(r.name(), -fm.stringWidth(r.name()), 0);
            gr.dispose();
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.2f));
        g.drawRect(left, top, right - left, bottom - top);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(name, (left + right - g.getFontMetrics().stringWidth(name)) / 2, top - 12);
        g.setStroke(new BasicStroke(1f));
    }

    private static int py(double y, double yMin, double yMax, int top, int bottom) {
        return (int) Math.round(bottom - (y - yMin) / (yMax - yMin) * (bottom - top));
    }
}
