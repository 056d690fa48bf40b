package dev.jumbo.estimate;

import java.util.List;

/**
 * An estimate ready to print: the per-layer {@link Estimate}, grouped sections of labelled figures
 * and (for LLMs on given devices) a parallelism plan. {@link ReportText}, {@link ReportJson} and
 * {@link ReportHtml} render it. A CNN estimate fills the same shape (rows, memory, its own sections).
 *
 * @param title    first line of the report
 * @param estimate rows, totals and memory
 * @param sections grouped figures, in print order
 * @param plan     the parallelism plan, or null
 */
public record Report(String title, Estimate estimate, List<Section> sections, Planner.Plan plan) {

    public Report {
        sections = List.copyOf(sections);
    }

    /**
     * One figure: JSON key, label (which says MACs or FLOPs where it matters), value (Long, Double,
     * String or Boolean) and unit ("bytes", "s", "FLOPs", ... or "").
     */
    public record Figure(String key, String label, Object value, String unit) {}

    /**
     * A titled group of figures; {@code jsonObject} names the JSON object they go into, or null to
     * put them at the top level.
     */
    public record Section(String title, String jsonObject, List<Figure> figures) {
        public Section {
            figures = List.copyOf(figures);
        }
    }
}
