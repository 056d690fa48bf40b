package dev.jumbo.estimate;

import java.util.Locale;

/** Activation recomputation (Korthikanti et al. 2022): none, selective (attention core only) or full (whole layer). */
public enum Recompute {
    NONE, SELECTIVE, FULL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
