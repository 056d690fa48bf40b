package dev.jumbo.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes the Open Inference Protocol (KServe v2) infer JSON, including the binary tensor
 * data extension: when {@code Inference-Header-Content-Length} is given, the body is that many bytes
 * of JSON followed by the raw tensors of the inputs that carry {@code parameters.binary_data_size},
 * in input order (little-endian; BYTES elements as a 4-byte length then the bytes).
 *
 * <pre>{@code
 * InferRequest r = InferCodec.decode(body, headerLength);     // headerLength -1 when all JSON
 * InferCodec.Encoded e = InferCodec.encode("m", "1", r.id(), outputs, binaryFlags);
 * }</pre>
 */
public final class InferCodec {
    /** The largest tensor one request may carry, in elements (a request-size limit, answered with 413). */
    public static final long MAX_ELEMENTS = 1L << 26;

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonFactory FACTORY = JSON.getFactory();

    private InferCodec() {}

    /** A response body; {@code jsonLength} is the JSON header's length when binary tensors follow, else -1. */
    public record Encoded(byte[] body, int jsonLength) {}

    /** One response tensor: name, shape and float32 values. */
    public record OutputTensor(String name, int[] shape, float[] values, boolean binary) {}

    /** Decodes a request body; {@code headerLength} is the Inference-Header-Content-Length, or -1. */
    public static InferRequest decode(byte[] body, int headerLength) {
        if (headerLength > body.length || headerLength == 0 || headerLength < -1) {
            throw ServeException.badRequest("Inference-Header-Content-Length " + headerLength
                    + ": expected 1.." + body.length + " (the body's length)");
        }
        int jsonLength = headerLength < 0 ? body.length : headerLength;
        JsonNode root;
        try {
            root = JSON.readTree(body, 0, jsonLength);
        } catch (JsonProcessingException e) {
            throw ServeException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw ServeException.badRequest("request body: expected a JSON object with \"inputs\"");
        }
        String id = root.hasNonNull("id") ? text(root.get("id"), "id") : null;
        JsonNode params = root.path("parameters");
        boolean binaryDefault = params.path("binary_data_output").asBoolean(false);
        long timeout = params.has("timeout") ? params.get("timeout").asLong(0) : 0;
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw ServeException.badRequest("request body: \"inputs\" must be a non-empty array");
        }
        ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice().order(ByteOrder.LITTLE_ENDIAN);
        List<InferRequest.Input> in = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            in.add(decodeInput(inputs.get(i), "inputs[" + i + "]", binary, headerLength >= 0));
        }
        if (binary.hasRemaining()) {
            throw ServeException.badRequest("binary data: " + binary.remaining()
                    + " bytes left over after the inputs' binary_data_size values");
        }
        List<InferRequest.Output> out = new ArrayList<>();
        JsonNode outputs = root.path("outputs");
        if (!outputs.isMissingNode() && !outputs.isArray()) {
            throw ServeException.badRequest("request body: \"outputs\" must be an array");
        }
        for (int i = 0; i < outputs.size(); i++) {
            JsonNode o = outputs.get(i);
            String name = text(o.get("name"), "outputs[" + i + "].name");
            out.add(new InferRequest.Output(name, o.path("parameters").path("binary_data").asBoolean(binaryDefault)));
        }
        return new InferRequest(id, in, out, binaryDefault, timeout);
    }

    private static InferRequest.Input decodeInput(JsonNode n, String where, ByteBuffer binary, boolean binaryAllowed) {
        if (!n.isObject()) {
            throw ServeException.badRequest(where + ": expected an object with name, shape, datatype, data");
        }
        String name = text(n.get("name"), where + ".name");
        where = "input '" + name + "'";
        Datatype dt = Datatype.parse(n.hasNonNull("datatype") ? n.get("datatype").asText() : null, where);
        int[] shape = shape(n.get("shape"), where);
        long numel = 1;
        for (int d : shape) {
            numel *= d;
            if (numel > MAX_ELEMENTS) {
                throw new ServeException(413, "too_large", where + ": shape " + Arrays.toString(shape)
                        + " has more than " + MAX_ELEMENTS + " elements, the limit per tensor");
            }
        }
        JsonNode binarySize = n.path("parameters").get("binary_data_size");
        float[] values;
        if (binarySize != null) {
            if (!binaryAllowed) {
                throw ServeException.badRequest(where + ": parameters.binary_data_size given but no "
                        + "Inference-Header-Content-Length header");
            }
            if (n.has("data")) {
                throw ServeException.badRequest(where + ": both \"data\" and parameters.binary_data_size given");
            }
            long size = binarySize.asLong(-1);
            if (size < 0 || size > binary.remaining()) {
                throw ServeException.badRequest(where + ": binary_data_size " + binarySize + " but "
                        + binary.remaining() + " bytes of binary data remain");
            }
            ByteBuffer slice = binary.slice(binary.position(), (int) size).order(ByteOrder.LITTLE_ENDIAN);
            binary.position(binary.position() + (int) size);
            values = Tensors.fromBinary(slice, dt, (int) numel, where);
        } else {
            JsonNode data = n.get("data");
            if (data == null || data.isNull()) {
                throw ServeException.badRequest(where + ": missing \"data\" (or parameters.binary_data_size)");
            }
            values = Tensors.fromJson(data, dt, where);
        }
        if (values.length != numel) {
            throw ServeException.badRequest(where + ": " + values.length + " values for shape "
                    + Arrays.toString(shape) + ", expected " + numel);
        }
        return new InferRequest.Input(name, shape, dt, values);
    }

    private static int[] shape(JsonNode n, String where) {
        if (n == null || !n.isArray()) {
            throw ServeException.badRequest(where + ": \"shape\" must be an array of non-negative integers");
        }
        int[] s = new int[n.size()];
        for (int i = 0; i < s.length; i++) {
            JsonNode d = n.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 0) {
                throw ServeException.badRequest(where + ": shape " + n + ": dimension " + i
                        + " must be a non-negative integer");
            }
            s[i] = d.asInt();
        }
        return s;
    }

    private static String text(JsonNode n, String where) {
        if (n == null || !n.isTextual()) {
            throw ServeException.badRequest(where + ": expected a string");
        }
        return n.asText();
    }

    /**
     * Encodes a response {@code {"model_name", "model_version", "id"?, "outputs": [...]}}; outputs
     * flagged binary carry {@code parameters.binary_data_size} and their bytes follow the JSON.
     */
    public static Encoded encode(String model, String version, String id, List<OutputTensor> outputs) {
        try {
            ByteArrayOutputStream json = new ByteArrayOutputStream(256);
            ByteArrayOutputStream bin = new ByteArrayOutputStream();
            try (JsonGenerator g = FACTORY.createGenerator(json)) {
                g.writeStartObject();
                g.writeStringField("model_name", model);
                g.writeStringField("model_version", version);
                if (id != null) {
                    g.writeStringField("id", id);
                }
                g.writeArrayFieldStart("outputs");
                for (OutputTensor o : outputs) {
                    g.writeStartObject();
                    g.writeStringField("name", o.name());
                    g.writeStringField("datatype", "FP32");
                    g.writeArrayFieldStart("shape");
                    for (int d : o.shape()) {
                        g.writeNumber(d);
                    }
                    g.writeEndArray();
                    if (o.binary()) {
                        g.writeObjectFieldStart("parameters");
                        g.writeNumberField("binary_data_size", o.values().length * 4L);
                        g.writeEndObject();
                        ByteBuffer b = ByteBuffer.allocate(o.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                        b.asFloatBuffer().put(o.values());
                        bin.write(b.array());
                    } else {
                        g.writeArrayFieldStart("data");
                        for (float v : o.values()) {
                            g.writeNumber(v);
                        }
                        g.writeEndArray();
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            if (bin.size() == 0) {
                return new Encoded(json.toByteArray(), -1);
            }
            int jsonLength = json.size();
            bin.writeTo(json);
            return new Encoded(json.toByteArray(), jsonLength);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"error": message}} as bytes. */
    public static byte[] error(String message) {
        return JSON.createObjectNode().put("error", message).toString().getBytes(StandardCharsets.UTF_8);
    }
}
