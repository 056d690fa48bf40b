package dev.jumbo.serve;

/**
 * An error answered to the client as HTTP {@code status} with {@code {"error": message}}; {@code reason}
 * is the short label it is counted under in {@code jumbo_inference_request_failure_total}.
 *
 * <pre>{@code
 * throw ServeException.badRequest("input 'input': shape [1,5]: expected [-1,4]");
 * }</pre>
 */
public final class ServeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;

    public ServeException(int status, String reason, String message) {
        super(message);
        this.status = status;
        this.reason = reason;
    }

    public ServeException(int status, String reason, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.reason = reason;
    }

    public static ServeException badRequest(String message) {
        return new ServeException(400, "bad_request", message);
    }

    public static ServeException notFound(String message) {
        return new ServeException(404, "not_found", message);
    }

    public static ServeException unavailable(String message) {
        return new ServeException(503, "unavailable", message);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
