package dev.jumbo.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LlmConfigErrorsTest {

    private static final String LLAMA = """
            {"model_type": "llama", "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32,
             "num_attention_heads": 32, "num_key_value_heads": %s, "vocab_size": 32000}""";

    @Test
    void unknownModelTypeListsTheSupportedOnes() {
        assertThatThrownBy(() -> LlmConfig.parse("{\"model_type\": \"falcon\"}", "my.json"))
                .hasMessage("config my.json: model_type 'falcon' is not supported; supported: bert, gpt2, llama, mistral, mixtral, qwen2");
    }

    @Test
    void missingModelTypeSaysSo() {
        assertThatThrownBy(() -> LlmConfig.parse("{\"hidden_size\": 8}", "my.json"))
                .hasMessageContaining("config my.json: missing field model_type (supported: bert, gpt2");
    }

    @Test
    void missingFieldsAreAllNamed() {
        assertThatThrownBy(() -> LlmConfig.parse("{\"model_type\": \"mixtral\", \"hidden_size\": 4096, \"num_hidden_layers\": 2,"
                + " \"num_attention_heads\": 32, \"vocab_size\": 100}", "mx.json"))
                .hasMessage("config mx.json: missing fields intermediate_size, num_local_experts, num_experts_per_tok (required for model_type mixtral)");
    }

    @Test
    void hiddenSizeNotDivisibleByHeads() {
        assertThatThrownBy(() -> LlmConfig.parse(LLAMA.formatted(8).replace("4096", "4090"), "x.json"))
                .hasMessage("config x.json: hidden size 4090 is not divisible by the number of heads 32 (hidden_size / num_attention_heads)");
        assertThatThrownBy(() -> LlmConfig.parse("{\"model_type\": \"gpt2\", \"n_embd\": 770, \"n_layer\": 2, \"n_head\": 12,"
                + " \"n_positions\": 64, \"vocab_size\": 100}", "g.json"))
                .hasMessageContaining("hidden size 770 is not divisible by the number of heads 12 (n_embd / n_head)");
    }

    @Test
    void kvHeadsMustDivideHeads() {
        assertThatThrownBy(() -> LlmConfig.parse(LLAMA.formatted(12), "x.json"))
                .hasMessage("config x.json: num_key_value_heads 12 does not divide num_attention_heads 32 (grouped-query attention needs heads = k * kv heads)");
    }

    @Test
    void nonPositiveOrNonIntegerValuesAreNamed() {
        assertThatThrownBy(() -> LlmConfig.parse(LLAMA.formatted(8).replace("\"num_hidden_layers\": 32", "\"num_hidden_layers\": -1"), "x.json"))
                .hasMessage("config x.json: invalid num_hidden_layers -1 (expected a positive integer)");
        assertThatThrownBy(() -> LlmConfig.parse(LLAMA.formatted("\"8\""), "x.json"))
                .hasMessageContaining("invalid num_key_value_heads \"8\"");
    }

    @Test
    void unreadableFileNamesTheFile() {
        assertThatThrownBy(() -> LlmConfig.read(java.nio.file.Path.of("no/such/config.json")))
                .hasMessageStartingWith("config no/such/config.json: cannot read JSON");
    }

    @Test
    void validConfigsParse() {
        LlmConfig c = LlmConfig.parse(LLAMA.formatted(8), "x.json");
        assertThat(c.kvHeads()).isEqualTo(8);
        assertThat(c.headDim()).isEqualTo(128);
        assertThat(Configs.read("mixtral-8x7b").experts()).isEqualTo(8);
        assertThat(Configs.read("mistral-7b").slidingWindow()).isEqualTo(4096);
        assertThat(Configs.read("qwen2-7b").attentionBias()).isTrue();
        assertThat(Configs.read("qwen2-7b").slidingWindow()).isZero();
        assertThat(Configs.read("gpt2").tiedEmbeddings()).isTrue();
    }
}
