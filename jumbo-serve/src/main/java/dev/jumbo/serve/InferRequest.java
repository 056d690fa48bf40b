package dev.jumbo.serve;

import java.util.List;

/**
 * A decoded Open Inference Protocol infer request: every input already converted to float32 values
 * (row-major), the outputs asked for and whether each comes back in the binary extension.
 *
 * @param id         the client's request id, echoed in the response (null when absent)
 * @param inputs     the inputs in request order
 * @param outputs    the requested outputs; empty means all of the model's outputs
 * @param binaryDefault whether outputs not listed (or listed without {@code binary_data}) come back binary
 * @param timeoutMicros the client's {@code parameters.timeout} in microseconds, or 0 for the server default
 */
public record InferRequest(String id, List<Input> inputs, List<Output> outputs, boolean binaryDefault,
        long timeoutMicros) {

    /** One input tensor: its name, shape, the datatype it was sent as, and its values as floats. */
    public record Input(String name, int[] shape, Datatype datatype, float[] values) {}

    /** One requested output and whether it is wanted in the binary extension. */
    public record Output(String name, boolean binary) {}
}
