package dev.jumbo.io;

import java.io.IOException;

/**
 * A file whose content breaks its format: the message names the file and what is wrong, e.g.
 * {@code model.safetensors: tensor "fc.weight": shape [10,5] of F32 needs 200 bytes, data_offsets span 196}.
 */
public final class CorruptFileException extends IOException {
    public CorruptFileException(String message) {
        super(message);
    }

    public CorruptFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
