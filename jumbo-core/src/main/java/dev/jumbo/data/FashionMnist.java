package dev.jumbo.data;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fashion-MNIST (Zalando): 60,000 training and 10,000 test images of 28x28 grayscale clothing in
 * 10 classes, read from the IDX files of the Debian package {@code dataset-fashion-mnist} in
 * {@code /usr/share/datasets/fashion-mnist/} (another directory: system property
 * {@code jumbo.fashion_mnist.dir} or environment variable {@code JUMBO_FASHION_MNIST_DIR}).
 * Examples are {@code [1,28,28]} floats in [0,1].
 *
 * <pre>{@code
 * TensorDataset train = FashionMnist.train();          // 60,000 examples
 * TensorDataset slice = FashionMnist.test(1000);       // the first 1,000 test images
 * }</pre>
 *
 * <p>When the files are missing, loading throws a {@link DatasetMissingException} whose message
 * holds {@link #INSTALL_COMMAND}.
 */
public final class FashionMnist {
    /** Where the Debian package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The exact command (as root) that installs the dataset. */
    public static final String INSTALL_COMMAND = "apt-get update && apt-get install -y dataset-fashion-mnist";
    /** The class names, by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    static final int TRAIN_COUNT = 60_000;
    static final int TEST_COUNT = 10_000;
    /** SHA-256 of the files of Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1. */
    static final Map<String, String> SHA256 = Map.of(
            TRAIN_IMAGES, "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            TRAIN_LABELS, "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
            TEST_IMAGES, "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            TEST_LABELS, "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05");

    private final Path dir;

    private FashionMnist(Path dir) {
        this.dir = dir;
    }

    /** The dataset in {@code dir}. */
    public static FashionMnist at(Path dir) {
        return new FashionMnist(dir);
    }

    /** The dataset where it is installed (the default directory unless overridden). */
    public static FashionMnist installed() {
        String p = System.getProperty("jumbo.fashion_mnist.dir", System.getenv("JUMBO_FASHION_MNIST_DIR"));
        return new FashionMnist(p == null || p.isBlank() ? DEFAULT_DIR : Path.of(p));
    }

    /** The 60,000 training images. */
    public static TensorDataset train() {
        return installed().trainSet(-1);
    }

    /** The first {@code limit} training images. */
    public static TensorDataset train(int limit) {
        return installed().trainSet(limit);
    }

    /** The 10,000 test images. */
    public static TensorDataset test() {
        return installed().testSet(-1);
    }

    /** The first {@code limit} test images. */
    public static TensorDataset test(int limit) {
        return installed().testSet(limit);
    }

    /** The directory the files are read from. */
    public Path dir() {
        return dir;
    }

    /** The four files, in the order train images, train labels, test images, test labels. */
    public List<Path> files() {
        return List.of(dir.resolve(TRAIN_IMAGES), dir.resolve(TRAIN_LABELS), dir.resolve(TEST_IMAGES), dir.resolve(TEST_LABELS));
    }

    /** True when all four files exist. */
    public boolean isInstalled() {
        return files().stream().allMatch(Files::isRegularFile);
    }

    /** The first {@code limit} training examples ({@code < 0}: all 60,000). */
    public TensorDataset trainSet(int limit) {
        return load(TRAIN_IMAGES, TRAIN_LABELS, limit);
    }

    /** The first {@code limit} test examples ({@code < 0}: all 10,000). */
    public TensorDataset testSet(int limit) {
        return load(TEST_IMAGES, TEST_LABELS, limit);
    }

    private TensorDataset load(String images, String labels, int limit) {
        requireInstalled();
        return Idx.dataset(dir.resolve(images), dir.resolve(labels), 10, limit, CLASSES);
    }

    private void requireInstalled() {
        for (Path f : files()) {
            if (!Files.isRegularFile(f)) {
                throw new DatasetMissingException("fashion-mnist", f.toString(), INSTALL_COMMAND);
            }
        }
    }

    /** Installs the Debian package (needs root) and checks that the files are now in place. */
    public void install(PrintWriter log) {
        Installer.run("fashion-mnist", INSTALL_COMMAND, log);
        requireInstalled();
    }

    /** Reads all four files, checks their SHA-256 and the 60,000/10,000 counts, and counts classes. */
    public DatasetCheck check() {
        requireInstalled();
        List<String> problems = new ArrayList<>();
        List<DatasetCheck.FileCheck> files = new ArrayList<>();
        for (Path f : files()) {
            files.add(DatasetCheck.checkFile(f, SHA256.get(f.getFileName().toString()), problems));
        }
        List<DatasetCheck.SplitCount> splits = List.of(
                DatasetCheck.countSplit("train", trainSet(-1), TRAIN_COUNT, problems),
                DatasetCheck.countSplit("test", testSet(-1), TEST_COUNT, problems));
        return new DatasetCheck("fashion-mnist", dir, files, splits, CLASSES, problems);
    }
}
