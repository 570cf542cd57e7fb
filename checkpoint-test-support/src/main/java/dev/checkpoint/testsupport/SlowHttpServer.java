package dev.checkpoint.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A DynamoDB endpoint on a free loopback port that answers every request with an error after a delay, and counts the
 * most requests it had at once: for tests of a client's connection pool (a request in flight holds a connection).
 */
public final class SlowHttpServer implements AutoCloseable {

    private static final byte[] ERROR = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ValidationException\",\"message\":\"slow\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(32);
    private final AtomicInteger now = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();

    public SlowHttpServer(Duration delay) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                exchange.getRequestBody().readAllBytes();
                Thread.sleep(delay.toMillis());
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                exchange.sendResponseHeaders(400, ERROR.length);
                exchange.getResponseBody().write(ERROR);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            finally {
                now.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The most requests in flight at once since the last call, which starts counting again. */
    public int mostAtOnceAndReset() {
        return most.getAndSet(0);
    }

    /** Runs {@code requests} calls of {@code request} at once, each on a thread of its own, and waits for all. */
    public static void atOnce(int requests, Runnable request) throws InterruptedException {
        Thread[] senders = new Thread[requests];
        for (int i = 0; i < requests; i++) {
            senders[i] = new Thread(() -> {
                try {
                    request.run();
                }
                catch (RuntimeException answeredWithAnError) {
                    // this server answers every request with an error
                }
            });
            senders[i].start();
        }
        for (Thread sender : senders) {
            sender.join();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
