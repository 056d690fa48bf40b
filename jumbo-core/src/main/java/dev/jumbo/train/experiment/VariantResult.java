package dev.jumbo.train.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one variant of an experiment measured, one entry per seed: test accuracy, training-set
 * accuracy (evaluated in eval mode, without augmentation) and training seconds, plus named extra
 * figures (for an ensemble: its best member's test accuracy).
 *
 * <pre>{@code
 * VariantResult r = new VariantResult("baseline");
 * r.add(0.871, 0.995, 12.5);
 * r.testMean();   // 0.871
 * r.gap();        // 0.124: how much better the model does on data it was trained on
 * }</pre>
 */
public final class VariantResult {
    private final String name;
    private final List<Double> test = new ArrayList<>();
    private final List<Double> train = new ArrayList<>();
    private final List<Double> seconds = new ArrayList<>();
    private final Map<String, List<Double>> extras = new LinkedHashMap<>();

    public VariantResult(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Records one seed's run. */
    public synchronized void add(double testAccuracy, double trainAccuracy, double trainSeconds) {
        test.add(testAccuracy);
        train.add(trainAccuracy);
        seconds.add(trainSeconds);
    }

    /** Records a named extra figure for the current seed (averaged over seeds in {@link #extras()}). */
    public synchronized void addExtra(String key, double value) {
        extras.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    public int runs() {
        return test.size();
    }

    public List<Double> testAccuracies() {
        return Collections.unmodifiableList(test);
    }

    public double testMean() {
        return mean(test);
    }

    /** Sample standard deviation (n - 1) of the test accuracy over seeds; 0 for a single seed. */
    public double testStd() {
        return std(test);
    }

    public double trainMean() {
        return mean(train);
    }

    /** Train-test gap: mean training-set accuracy minus mean test accuracy. */
    public double gap() {
        return trainMean() - testMean();
    }

    /** Mean training seconds per seed. */
    public double secondsMean() {
        return mean(seconds);
    }

    /** The extra figures, each averaged over seeds. */
    public Map<String, Double> extras() {
        Map<String, Double> m = new LinkedHashMap<>();
        extras.forEach((k, v) -> m.put(k, mean(v)));
        return m;
    }

    /** The JSON entry: name, test_accuracy_mean, test_accuracy_std, train_test_gap, seconds, then extras. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("test_accuracy_mean", testMean());
        m.put("test_accuracy_std", testStd());
        m.put("train_test_gap", gap());
        m.put("seconds", secondsMean());
        m.put("train_accuracy_mean", trainMean());
        m.put("test_accuracies", List.copyOf(test));
        m.putAll(extras());
        return m;
    }

    static double mean(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.size();
    }

    static double std(List<Double> xs) {
        if (xs.size() < 2) {
            return 0;
        }
        double m = mean(xs);
        double s = 0;
        for (double x : xs) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (xs.size() - 1));
    }
}
