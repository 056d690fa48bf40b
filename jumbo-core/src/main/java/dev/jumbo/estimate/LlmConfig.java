package dev.jumbo.estimate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The architecture figures of a transformer language model, read from a Hugging Face-style
 * {@code config.json}. Field names follow each family's own config: {@code n_embd}/{@code n_layer}
 * for gpt2, {@code hidden_size}/{@code num_hidden_layers} for the others.
 *
 * <pre>{@code
 * LlmConfig c = LlmConfig.read(Path.of("examples/configs/llama2-7b.json"));
 * c.family();          // LLAMA
 * c.kvHeads();         // 32 (no grouped-query attention in LLaMA-2-7B)
 * }</pre>
 *
 * @param source            where the figures came from (a file name, for messages)
 * @param family            the model family ({@code model_type})
 * @param hidden            model width h
 * @param layers            transformer blocks L
 * @param heads             attention (query) heads a
 * @param kvHeads           key/value heads (grouped-query attention when fewer than {@code heads})
 * @param headDim           width of one head (h / a unless the config gives {@code head_dim})
 * @param intermediate      MLP width (per expert for mixtral)
 * @param vocab             vocabulary size V
 * @param maxPositions      {@code max_position_embeddings} / {@code n_positions}
 * @param typeVocab         BERT token-type vocabulary (0 for the others)
 * @param tiedEmbeddings    the output projection shares the input embedding matrix
 * @param experts           experts per MoE layer (0 for dense models)
 * @param expertsPerToken   experts each token is routed to (top-k)
 * @param attentionBias     q/k/v projections have biases (qwen2; {@code attention_bias} in llama)
 * @param slidingWindow     attention window in tokens (0 when attention is global)
 * @param ropeTheta         rotary base (0 when the family uses learned positions)
 */
public record LlmConfig(String source, Family family, int hidden, int layers, int heads, int kvHeads,
                        int headDim, int intermediate, int vocab, int maxPositions, int typeVocab,
                        boolean tiedEmbeddings, int experts, int expertsPerToken, boolean attentionBias,
                        int slidingWindow, double ropeTheta) {

    /** The supported families, by their {@code model_type}. */
    public enum Family {
        BERT, GPT2, LLAMA, MISTRAL, MIXTRAL, QWEN2;

        public String modelType() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Decoder-only families with RMSNorm, rotary positions and a gated (SwiGLU) MLP. */
        public boolean llamaLike() {
            return this == LLAMA || this == MISTRAL || this == MIXTRAL || this == QWEN2;
        }

        static String supported() {
            return Arrays.stream(values()).map(Family::modelType).collect(Collectors.joining(", "));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads and validates a config file; every problem is reported with the file name. */
    public static LlmConfig read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + file + ": cannot read JSON: " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    /** Parses a config already in memory; {@code source} names it in error messages. */
    public static LlmConfig parse(String json, String source) {
        try {
            return parse(JSON.readTree(json), source);
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + source + ": cannot read JSON: " + e.getMessage(), e);
        }
    }

    static LlmConfig parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("config " + source + ": expected a JSON object");
        }
        Fields f = new Fields(root, source);
        String type = root.path("model_type").asText("");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("config " + source + ": missing field model_type (supported: "
                    + Family.supported() + ")");
        }
        Family family = Arrays.stream(Family.values()).filter(x -> x.modelType().equals(type)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("config " + source + ": model_type '" + type
                        + "' is not supported; supported: " + Family.supported()));
        LlmConfig c = switch (family) {
            case GPT2 -> {
                int h = f.required("n_embd");
                int layers = f.required("n_layer");
                int heads = f.required("n_head");
                int vocab = f.required("vocab_size");
                int positions = f.required("n_positions");
                f.check();
                int inner = f.optional("n_inner", 4 * h);
                yield new LlmConfig(source, family, h, layers, heads, heads, h / heads, inner, vocab, positions, 0,
                        f.bool("tie_word_embeddings", true), 0, 0, true, 0, 0);
            }
            case BERT -> {
                int h = f.required("hidden_size");
                int layers = f.required("num_hidden_layers");
                int heads = f.required("num_attention_heads");
                int inter = f.required("intermediate_size");
                int vocab = f.required("vocab_size");
                int positions = f.required("max_position_embeddings");
                f.check();
                yield new LlmConfig(source, family, h, layers, heads, heads, h / heads, inter, vocab, positions,
                        f.optional("type_vocab_size", 2), false, 0, 0, true, 0, 0);
            }
            default -> {
                int h = f.required("hidden_size");
                int layers = f.required("num_hidden_layers");
                int heads = f.required("num_attention_heads");
                int inter = f.required("intermediate_size");
                int vocab = f.required("vocab_size");
                int experts = family == Family.MIXTRAL ? f.required("num_local_experts") : 0;
                int topK = family == Family.MIXTRAL ? f.required("num_experts_per_tok") : 0;
                f.check();
                int kv = f.optional("num_key_value_heads", heads);
                int headDim = f.optional("head_dim", 0);
                boolean bias = family == Family.QWEN2 || f.bool("attention_bias", false);
                boolean window = family != Family.QWEN2 || f.bool("use_sliding_window", false);
                int sliding = window ? f.optional("sliding_window", 0) : 0;
                yield new LlmConfig(source, family, h, layers, heads, kv, headDim == 0 ? h / heads : headDim,
                        inter, vocab, f.optional("max_position_embeddings", 0), 0,
                        f.bool("tie_word_embeddings", false), experts, topK, bias, sliding,
                        root.path("rope_theta").asDouble(10000.0));
            }
        };
        c.validate(root.has("head_dim") && !root.get("head_dim").isNull());
        return c;
    }

    /** Cross-field checks: head counts, divisibility, expert counts. */
    private void validate(boolean explicitHeadDim) {
        String at = "config " + source + ": ";
        if (!explicitHeadDim && hidden % heads != 0) {
            throw new IllegalArgumentException(at + "hidden size " + hidden + " is not divisible by the number of heads "
                    + heads + " (" + names("hidden_size", "n_embd") + " / " + names("num_attention_heads", "n_head") + ")");
        }
        if (kvHeads > heads || heads % kvHeads != 0) {
            throw new IllegalArgumentException(at + "num_key_value_heads " + kvHeads
                    + " does not divide num_attention_heads " + heads + " (grouped-query attention needs heads = k * kv heads)");
        }
        if (family == Family.MIXTRAL && expertsPerToken > experts) {
            throw new IllegalArgumentException(at + "num_experts_per_tok " + expertsPerToken
                    + " is more than num_local_experts " + experts);
        }
    }

    private String names(String hf, String gpt2) {
        return family == Family.GPT2 ? gpt2 : hf;
    }

    /** True for mixture-of-experts models. */
    public boolean moe() {
        return experts > 0;
    }

    /** Width of the query projection output (heads × head dim). */
    public long qDim() {
        return (long) heads * headDim;
    }

    /** Width of one of the key/value projection outputs (kv heads × head dim). */
    public long kvDim() {
        return (long) kvHeads * headDim;
    }

    /** A short name for reports: the file name without directories and {@code .json}. */
    public String name() {
        String s = Path.of(source).getFileName().toString();
        return s.endsWith(".json") ? s.substring(0, s.length() - 5) : s;
    }

    /** Collects the missing or invalid required fields so one error names them all. */
    private static final class Fields {
        private final JsonNode root;
        private final String source;
        private final List<String> missing = new ArrayList<>();
        private final List<String> invalid = new ArrayList<>();

        Fields(JsonNode root, String source) {
            this.root = root;
            this.source = source;
        }

        int required(String name) {
            JsonNode n = root.get(name);
            if (n == null || n.isNull()) {
                missing.add(name);
                return 1;
            }
            return positive(name, n);
        }

        int optional(String name, int fallback) {
            JsonNode n = root.get(name);
            if (n == null || n.isNull()) {
                return fallback;
            }
            int v = positive(name, n);
            check();
            return v;
        }

        boolean bool(String name, boolean fallback) {
            JsonNode n = root.get(name);
            return n == null || n.isNull() ? fallback : n.asBoolean(fallback);
        }

        private int positive(String name, JsonNode n) {
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1) {
                invalid.add(name + " " + n + " (expected a positive integer)");
                return 1;
            }
            return n.asInt();
        }

        void check() {
            if (missing.isEmpty() && invalid.isEmpty()) {
                return;
            }
            String type = root.path("model_type").asText();
            StringBuilder sb = new StringBuilder("config " + source + ": ");
            if (!missing.isEmpty()) {
                sb.append("missing field").append(missing.size() > 1 ? "s " : " ")
                        .append(String.join(", ", missing)).append(" (required for model_type ").append(type).append(')');
            }
            if (!invalid.isEmpty()) {
                sb.append(missing.isEmpty() ? "" : "; ").append("invalid ").append(String.join(", ", invalid));
            }
            throw new IllegalArgumentException(sb.toString());
        }
    }
}
