package dev.jumbo.serve;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns an uploaded PNG into one model input for image models with input shape [C, H, W]: the image
 * is converted to grayscale, resized (bilinear) to H x W, scaled to [0, 1] (pixel / 255, as the
 * Fashion-MNIST loader does) and repeated over the C channels.
 */
final class PngInput {
    /** Larger images are refused before decoding (a decompression-bomb guard). */
    static final int MAX_SIDE = 4096;

    private PngInput() {}

    static float[] decode(byte[] png, int[] inputShape) {
        if (inputShape.length != 3) {
            throw ServeException.badRequest("/v1/predict: the model's input shape " + Arrays.toString(inputShape)
                    + " is not an image [C, H, W]");
        }
        BufferedImage img = read(png);
        int c = inputShape[0];
        int h = inputShape[1];
        int w = inputShape[2];
        BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        float[] out = new float[c * h * w];
        byte[] px = new byte[h * w];
        gray.getRaster().getDataElements(0, 0, w, h, px);
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < h * w; i++) {
                out[ch * h * w + i] = (px[i] & 0xFF) / 255f;
            }
        }
        return out;
    }

    private static BufferedImage read(byte[] png) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w > MAX_SIDE || h > MAX_SIDE) {
                    throw new ServeException(413, "too_large", "/v1/predict: image " + w + "x" + h
                            + " is larger than " + MAX_SIDE + "x" + MAX_SIDE);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ServeException se) {
                throw se;
            }
            throw ServeException.badRequest("/v1/predict: body is not a readable PNG: " + e.getMessage());
        }
    }
}
