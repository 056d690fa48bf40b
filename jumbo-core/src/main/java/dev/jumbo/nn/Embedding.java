package dev.jumbo.nn;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lookup table (PyTorch {@code nn.Embedding}): int32 indices of any shape to rows of weight
 * [num_embeddings, embedding_dim], initialized N(0, 1).
 *
 * <pre>{@code
 * Embedding emb = new Embedding(50257, 768, rng);
 * Tensor h = emb.forward(Tensor.ofInts(new int[] {15496, 995}, 1, 2)); // [1,2,768]
 * }</pre>
 */
public final class Embedding extends Module {
    public final int numEmbeddings;
    public final int embeddingDim;
    public final Tensor weight;

    public Embedding(int numEmbeddings, int embeddingDim, Rng rng) {
        Layers.positive("Embedding", "num_embeddings", numEmbeddings);
        Layers.positive("Embedding", "embedding_dim", embeddingDim);
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.weight = registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim));
        Init.normal(weight, 0, 1, rng);
    }

    @Override
    public Tensor forward(Tensor indices) {
        return Tensor.embedding(weight, indices);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("num_embeddings", numEmbeddings);
        c.put("embedding_dim", embeddingDim);
        return c;
    }
}
