package dev.jumbo.cli;

import dev.jumbo.serve.InferenceServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jumbo serve}: serves a Triton-layout model repository over the Open Inference Protocol
 * (KServe v2 REST) until SIGTERM/SIGINT, then stops gracefully (not ready, drain, unload).
 *
 * <pre>{@code
 * ./jumbo serve --repository models/ --port 8000 --token-file token.txt
 * curl -s localhost:8000/v2/models/fashion
 * }</pre>
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve models/<name>/<version>/ over the Open Inference Protocol (KServe v2 REST), "
                + "with dynamic batching, hot loads and Prometheus metrics on /metrics.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--repository", required = true, description = "Model repository: <name>/<version>/ directories.")
    Path repository;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--token-file", description = "File holding the bearer token of the control API "
            + "(/v2/repository/...); without it the control API is off.")
    Path tokenFile;

    @Option(names = "--max-body-bytes", defaultValue = "67108864",
            description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Override
    public Integer call() throws Exception {
        String token = null;
        if (tokenFile != null) {
            token = Files.readString(tokenFile).strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("serve: --token-file " + tokenFile + ": the file is empty, expected a token");
            }
        }
        InferenceServer server = InferenceServer.start(new InferenceServer.Options(repository, host, port, token, maxBodyBytes));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "jumbo-serve-shutdown"));
        System.err.println("jumbo serve: listening on http://" + host + ":" + server.port() + " (Ctrl-C or SIGTERM stops)");
        stopped.await();
        return 0;
    }
}
