package dev.checkpoint.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynalite (DynamoDB) or kinesis-local (Kinesis) server in a child Node.js process on 127.0.0.1, started
 * through {@code tools/local-aws.js} from the project's pinned {@code node_modules}. The child stops when
 * this JVM exits, even when the JVM is killed, because it watches its standard input.
 */
public final class LocalAwsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalAwsServer.class);
    private static final long START_TIMEOUT_SECONDS = 30;

    /**
     * Which server. kinesis-local (the Kinesis engine LocalStack runs) also serves {@code SubscribeToShard} on a
     * second, HTTPS port ({@link #tlsEndpoint()}) with HTTP/2 and a self-signed certificate; it speaks the SDK's
     * default CBOR.
     */
    public enum Kind {
        DYNALITE("dynalite"), KINESIS_LOCAL("kinesis-local");

        private final String packageName;

        Kind(String packageName) {
            this.packageName = packageName;
        }
    }

    private final Kind kind;
    private final List<String> options;
    private Process process;
    private int port;
    private int tlsPort;

    private LocalAwsServer(Kind kind, List<String> options) {
        this.kind = kind;
        this.options = options;
    }

    /**
     * Starts a server on a free port.
     *
     * @param options further options of {@code tools/local-aws.js}, such as {@code --path DIR} to keep the data
     *        on disk across a {@link #restart()}, or {@code --shardLimit 50}
     */
    public static LocalAwsServer start(Kind kind, String... options) {
        LocalAwsServer server = new LocalAwsServer(kind, List.of(options));
        server.launch(0, 0);
        return server;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** The HTTPS endpoint (HTTP/2 through ALPN, a self-signed certificate): kinesis-local only. */
    public URI tlsEndpoint() {
        if (tlsPort == 0) {
            throw new IllegalStateException(kind.packageName + " serves no HTTPS port");
        }
        return URI.create("https://127.0.0.1:" + tlsPort);
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server: until {@link #restart()}, requests to it fail with a refused connection. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Kills the server at once (SIGKILL), as a crash would; {@link #restart()} brings it back. */
    public synchronized void crash() {
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts the server again on the same port, with the same options. */
    public synchronized void restart() {
        stop();
        launch(port, tlsPort);
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void launch(int requestedPort, int requestedTlsPort) {
        Path root = ProjectFiles.root();
        ProjectFiles.ensureNodeModules(root, kind.packageName);
        List<String> command = new ArrayList<>(List.of("node", root.resolve("tools/local-aws.js").toString(),
                kind.packageName, "--port", Integer.toString(requestedPort), "--exitWithStdin"));
        if (kind == Kind.KINESIS_LOCAL) {
            command.addAll(List.of("--tlsPort", Integer.toString(requestedTlsPort)));
        }
        command.addAll(options);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot run node to start " + kind.packageName + ": " + failure.getMessage(), failure);
        }
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<int[]> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> pumpOutput(output, listening), kind.packageName + "-output");
        pump.setDaemon(true);
        pump.start();
        try {
            int[] ports = listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            port = ports[0];
            tlsPort = ports.length > 1 ? ports[1] : 0;
        }
        catch (ExecutionException | TimeoutException failure) {
            process.destroyForcibly();
            throw new IllegalStateException(kind.packageName + " did not start: " + failure.getMessage(), failure);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while starting " + kind.packageName, interrupted);
        }
        log.info("{} listening at {}", kind.packageName, endpoint());
    }

    private void pumpOutput(BufferedReader output, CompletableFuture<int[]> listening) {
        Deque<String> last = new ArrayDeque<>();
        try (output) {
            String line;
            while ((line = output.readLine()) != null) {
                last.addLast(line);
                if (last.size() > 3) {
                    last.removeFirst();
                }
                if (!listening.isDone() && line.startsWith("listening ")) {
                    listening.complete(Arrays.stream(line.substring("listening ".length()).trim().split(" "))
                            .mapToInt(Integer::parseInt).toArray());
                }
                else {
                    // Lines before it are the server's own log (kinesis-local's, with LOG_LEVEL=INFO, say).
                    log.debug("{}: {}", kind.packageName, line);
                }
            }
        }
        catch (IOException | RuntimeException ended) {
            listening.completeExceptionally(ended);
        }
        if (!listening.isDone()) {
            listening.completeExceptionally(new IllegalStateException("it exited; its last lines: " + last));
        }
        if (listening.isDone() && !listening.isCompletedExceptionally()) {
            log.warn("{} at {} ended its output: it exited, or is about to; its last lines: {}", kind.packageName, endpoint(),
                    last);
        }
        listening.completeExceptionally(new IllegalStateException(kind.packageName + " exited"));
    }

    /** A fresh folder for {@code --path}. */
    public static Path newDataDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot create a data folder: " + failure.getMessage(), failure);
        }
    }
}
