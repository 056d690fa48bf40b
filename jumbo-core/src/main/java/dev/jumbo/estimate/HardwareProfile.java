package dev.jumbo.estimate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One accelerator: memory, memory bandwidth and dense peak FLOP/s per dtype. The vendor profiles
 * are JSON resources under {@code dev/jumbo/estimate/hardware/} (each cites its datasheet);
 * {@code local} is this machine, measured by {@link LocalProbe}.
 *
 * <pre>{@code
 * HardwareProfile h100 = HardwareProfile.named("H100");        // alias of h100-sxm
 * h100.peakFlops(WeightFormat.BF16);                           // 9.894e14
 * HardwareProfile.Devices d = HardwareProfile.devices("8xA100-80GB");
 * }</pre>
 *
 * @param id              profile id (file name)
 * @param name            display name
 * @param memoryBytes     device memory
 * @param bandwidth       memory bandwidth, bytes/s
 * @param peakFlops       dense peak FLOP/s by dtype key (fp32, tf32, bf16, fp16, fp8, int8)
 * @param devicesPerNode  devices joined by the fast interconnect (tensor parallelism stays within)
 * @param source          where the figures come from
 */
public record HardwareProfile(String id, String name, long memoryBytes, double bandwidth, Map<String, Double> peakFlops,
                              int devicesPerNode, String source) {

    /** Vendor profiles shipped as resources. */
    public static final List<String> IDS = List.of("a100-40gb", "a100-80gb", "h100-sxm", "h200", "l4");
    private static final Map<String, String> ALIASES = Map.of("h100", "h100-sxm", "h200-sxm", "h200", "a100", "a100-80gb");
    private static final ObjectMapper JSON = new ObjectMapper();

    public HardwareProfile {
        peakFlops = Map.copyOf(peakFlops);
    }

    /** A count of devices of one profile, as {@code 8xH100}. */
    public record Devices(int count, HardwareProfile profile) {
        @Override
        public String toString() {
            return count + " x " + profile.name();
        }
    }

    /**
     * Parses {@code NxPROFILE} (or just {@code PROFILE}, meaning 1): {@code 8xH100}, {@code 64xa100-40gb},
     * {@code 1xlocal}. Profile names are case-insensitive; {@code h100} means {@code h100-sxm} and
     * {@code a100} means {@code a100-80gb}.
     */
    public static Devices devices(String spec) {
        String s = spec.trim();
        int x = s.toLowerCase(Locale.ROOT).indexOf('x');
        int count = 1;
        String name = s;
        if (x > 0 && s.substring(0, x).chars().allMatch(Character::isDigit)) {
            count = Integer.parseInt(s.substring(0, x));
            name = s.substring(x + 1);
        }
        if (count < 1) {
            throw new IllegalArgumentException("devices: '" + spec + "': expected a count >= 1, as in 8xH100");
        }
        return new Devices(count, named(name));
    }

    /** A profile by id or alias; {@code local} runs the probe. */
    public static HardwareProfile named(String name) {
        String id = name.trim().toLowerCase(Locale.ROOT);
        id = ALIASES.getOrDefault(id, id);
        if (id.equals("local")) {
            return LocalProbe.profile();
        }
        if (!IDS.contains(id)) {
            throw new IllegalArgumentException("devices: unknown hardware '" + name + "'; known: "
                    + String.join(", ", IDS) + ", local (aliases: h100, a100)");
        }
        try (InputStream in = HardwareProfile.class.getResourceAsStream("hardware/" + id + ".json")) {
            if (in == null) {
                throw new IllegalStateException("hardware profile resource hardware/" + id + ".json is missing");
            }
            return parse(JSON.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("hardware profile " + id + ": " + e.getMessage(), e);
        }
    }

    static HardwareProfile parse(JsonNode j) {
        Map<String, Double> peaks = new LinkedHashMap<>();
        j.get("peak_flops").properties().forEach(e -> peaks.put(e.getKey(), e.getValue().asDouble()));
        return new HardwareProfile(j.get("id").asText(), j.get("name").asText(), j.get("memory_bytes").asLong(),
                j.get("memory_bandwidth_bytes_per_s").asDouble(), peaks, j.path("devices_per_node").asInt(1),
                j.path("source").asText(""));
    }

    /**
     * Dense peak FLOP/s for matrix products at a weight format: bf16/fp16/fp32 at their own peak,
     * int8 at the int8 peak (W8A8), int4 at the bf16 peak (weight-only: dequantized to 16 bits).
     */
    public double peakFlops(WeightFormat f) {
        String key = switch (f) {
            case FP32 -> "fp32";
            case FP16 -> "fp16";
            case INT8 -> "int8";
            case BF16, INT4 -> "bf16";
        };
        Double v = peakFlops.get(key);
        if (v == null) {
            throw new IllegalArgumentException("hardware " + id + ": no peak for " + key + " (has " + peakFlops.keySet() + ")");
        }
        return v;
    }
}
