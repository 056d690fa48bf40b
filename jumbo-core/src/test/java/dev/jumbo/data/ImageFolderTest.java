package dev.jumbo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path tmp;

    private void rgb(String rel, int w, int h, int rgb, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        write(rel, img, format);
    }

    private void gray(String rel, int w, int h, int value) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, value);
            }
        }
        write(rel, img, "png");
    }

    private void write(String rel, BufferedImage img, String format) throws IOException {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        assertThat(ImageIO.write(img, format, p.toFile())).isTrue();
    }

    @Test
    void classesAreSortedSubfoldersAndPixelsScaleToOne() throws IOException {
        rgb("root/cat/a.png", 4, 3, 0xFF0000, "png");
        rgb("root/cat/b.PNG", 4, 3, 0x00FF00, "png");
        gray("root/dog/c.png", 4, 3, 51);
        Files.writeString(tmp.resolve("root/dog/notes.txt"), "ignored");
        TensorDataset rgb = ImageFolder.read(tmp.resolve("root"), ImageFolder.options().channels(3));
        assertThat(rgb.classNames()).containsExactly("cat", "dog");
        assertThat(rgb.labels()).containsExactly(0, 0, 1);
        assertThat(rgb.exampleShape()).containsExactly(3, 3, 4);
        float[] x = rgb.get(0).input().toFloatArray();
        assertThat(x[0]).isEqualTo(1f);          // red plane
        assertThat(x[12]).isEqualTo(0f);         // green plane
        assertThat(rgb.get(2).input().toFloatArray()[30]).isEqualTo(51 / 255f);   // gray repeated, exact
        TensorDataset g = ImageFolder.read(tmp.resolve("root"), ImageFolder.options());
        assertThat(g.exampleShape()).containsExactly(1, 3, 4);
        assertThat(g.get(1).input().toFloatArray()[0]).isCloseTo(0.587f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(g.get(2).input().toFloatArray()[5]).isEqualTo(51 / 255f);
    }

    @Test
    void mismatchedSizesNameTheFileAndBothSizesUnlessResized() throws IOException {
        gray("root/a/1.png", 28, 28, 0);
        gray("root/b/2.png", 32, 30, 255);
        rgb("root/b/3.jpg", 28, 28, 0xFFFFFF, "jpg");
        Path root = tmp.resolve("root");
        assertThatThrownBy(() -> ImageFolder.read(root, ImageFolder.options())).hasMessage("image folder " + root
                + ": b/2.png is 32x30 (width x height) but a/1.png is 28x28: expected the same size (or resize them)");
        TensorDataset d = ImageFolder.read(root, ImageFolder.options().resize(28, 28));
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.exampleShape()).containsExactly(1, 28, 28);
        for (float v : d.get(1).input().toFloatArray()) {
            assertThat(v).isEqualTo(1f);     // a constant image stays constant through bilinear resizing
        }
    }

    @Test
    void bilinearResizeMatchesAlignCornersFalse() {
        // 1x2 -> 1x4 with half-pixel centres: PyTorch gives [0, 0.25, 0.75, 1].
        assertThat(ImageFolder.resize(new float[] {0, 1}, 1, 1, 2, 1, 4)).containsExactly(0f, 0.25f, 0.75f, 1f);
    }

    @Test
    void badFoldersAndFilesAreNamed() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> ImageFolder.read(tmp.resolve("empty"), ImageFolder.options()))
                .hasMessageContaining("no class subfolders");
        Files.createDirectories(tmp.resolve("noimg/cls"));
        assertThatThrownBy(() -> ImageFolder.read(tmp.resolve("noimg"), ImageFolder.options()))
                .hasMessageContaining("class folder cls has no PNG or JPEG files");
        Files.createDirectories(tmp.resolve("broken/cls"));
        Files.writeString(tmp.resolve("broken/cls/x.png"), "not a png");
        assertThatThrownBy(() -> ImageFolder.read(tmp.resolve("broken"), ImageFolder.options()))
                .hasMessageContaining("x.png").hasMessageContaining("not a PNG or JPEG");
        assertThatThrownBy(() -> ImageFolder.read(tmp.resolve("broken"), ImageFolder.options().channels(2)))
                .hasMessageContaining("channels 2: expected 1 or 3");
    }
}
