package dev.jumbo.cli;

import dev.jumbo.nn.Model;
import dev.jumbo.tensor.Tensor;
import dev.jumbo.train.Trainer;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jumbo predict --run runs/lenet5 image.png... [--top 5] [--invert] [--json]}: the top
 * classes with probabilities for each image. An image is converted to the model's input shape:
 * grayscale (or RGB for 3-channel models), resized with area averaging to H×W, scaled to [0,1];
 * {@code --invert} turns dark-on-light pictures into the light-on-dark style of (Fashion-)MNIST.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify images (PNG, JPEG) with a trained run: top classes and probabilities.")
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run directory (or a model directory).")
    Path run;
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;
    @Option(names = "--top", defaultValue = "5", description = "How many classes to show (default ${DEFAULT-VALUE}).")
    int top;
    @Option(names = "--best", description = "Use best/ instead of model/.")
    boolean best;
    @Option(names = "--invert", description = "Invert intensities (for dark objects on a light background).")
    boolean invert;
    @Option(names = "--json", description = "Print the predictions as one JSON object on the last line.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Model.Loaded m = Model.read(RunFiles.modelDir(run, best));
        int[] shape = m.inputShape();
        if (shape == null || shape.length != 3 || (shape[0] != 1 && shape[0] != 3)) {
            throw new IllegalArgumentException("predict: " + m.dir() + ": input shape "
                    + java.util.Arrays.toString(shape) + ": expected an image shape [1|3, H, W]");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Path file : images) {
            Tensor x = Tensor.of(pixels(file, shape[0], shape[1], shape[2], invert), 1, shape[0], shape[1], shape[2]);
            float[] p = Trainer.predictWith(m.module(), x).toFloatArray();
            List<Map<String, Object>> topk = new ArrayList<>();
            boolean[] used = new boolean[p.length];
            for (int r = 0; r < Math.min(top, p.length); r++) {
                int best = -1;
                for (int c = 0; c < p.length; c++) {
                    if (!used[c] && (best < 0 || p[c] > p[best])) {
                        best = c;
                    }
                }
                used[best] = true;
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("index", best);
                e.put("class", best < m.classNames().size() ? m.classNames().get(best) : String.valueOf(best));
                e.put("probability", (double) p[best]);
                topk.add(e);
            }
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("file", file.toString());
            res.put("top", topk);
            results.add(res);
            if (!json) {
                out.println(file);
                for (Map<String, Object> e : topk) {
                    out.printf("  %6.2f%%  %s%n", 100 * (double) e.get("probability"), e.get("class"));
                }
            }
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model_dir", m.dir().toString());
            o.put("predictions", results);
            out.println(RunFiles.JSON.writeValueAsString(o));
        }
        out.flush();
        return 0;
    }

    /** The image as [channels, h, w] floats in [0,1], area-averaged to h×w. */
    static float[] pixels(Path file, int channels, int h, int w, boolean invert) throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "image not found");
        }
        BufferedImage src = ImageIO.read(file.toFile());
        if (src == null) {
            throw new IllegalArgumentException(file + ": not an image ImageIO can read (expected PNG, JPEG, GIF or BMP)");
        }
        BufferedImage dst = new BufferedImage(w, h, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.drawImage(src.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        } finally {
            g.dispose();
        }
        float[] out = new float[channels * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = dst.getRGB(x, y);
                for (int c = 0; c < channels; c++) {
                    int v = channels == 1 ? dst.getRaster().getSample(x, y, 0) : (rgb >> (16 - 8 * c)) & 0xff;
                    float f = v / 255f;
                    out[(c * h + y) * w + x] = invert ? 1f - f : f;
                }
            }
        }
        return out;
    }
}
