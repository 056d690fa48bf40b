package dev.jumbo.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The load generator's side of one HTTP/1.1 keep-alive connection, as wrk and h2load drive a
 * server: a request prepared once as bytes is written, then the status line, headers and a
 * {@code Content-Length} body are read back and discarded. No thread hand-offs, no per-request
 * allocation beyond the header line, TCP_NODELAY on; so the bench measures the server rather than
 * a general-purpose client ({@code java.net.http.HttpClient} costs several hundred µs of CPU per
 * request on a busy 2-core machine). Not a general client: no chunked bodies, no redirects.
 *
 * <pre>{@code
 * byte[] req = KeepAliveClient.post("/v2/models/m/infer", "application/octet-stream", extraHeaders, body);
 * try (KeepAliveClient c = new KeepAliveClient(port)) {
 *     int status = c.send(req);        // 200
 * }
 * }</pre>
 */
final class KeepAliveClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] line = new byte[8192];

    KeepAliveClient(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    /** A complete request: request line, Host, the given header lines ("Name: value\r\n" each), body. */
    static byte[] request(String method, String path, String headers, byte[] body) {
        byte[] head = (method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Writes {@code request}, reads the whole response, returns its status code. */
    int send(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        int n = readLine();
        if (n < 12) {
            throw new IOException("response status line: received " + n + " bytes: expected 'HTTP/1.1 NNN ...'");
        }
        int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        long length = -1;
        while ((n = readLine()) > 0) {
            if (n > 15 && regionIgnoreCase("content-length:")) {
                length = Long.parseLong(new String(line, 15, n - 15, StandardCharsets.US_ASCII).trim());
            }
        }
        if (length < 0) {
            throw new IOException("response without Content-Length: expected a fixed-length body");
        }
        in.skipNBytes(length);
        return status;
    }

    private boolean regionIgnoreCase(String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase(line[i]) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Reads one header line into {@link #line} without its CRLF; returns its length. */
    private int readLine() throws IOException {
        int n = 0;
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed by the server mid-response");
            }
            if (b != '\r' && n < line.length) {
                line[n++] = (byte) b;
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
