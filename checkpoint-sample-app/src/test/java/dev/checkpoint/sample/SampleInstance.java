package dev.checkpoint.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One instance of the sample application in a JVM of its own, started with this test's classpath. */
final class SampleInstance {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final String name;
    final int port;
    final Path log;
    private final Process process;

    private SampleInstance(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static SampleInstance start(String name, Path directory, Map<String, String> environment, List<String> options)
            throws IOException {
        int port = freePort();
        Path log = directory.resolve(name + ".out");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SampleApplication.class.getName(), "--server.port=" + port, "--checkpoint.worker-id=" + name,
                "--sample.processed-log=" + directory.resolve(name + ".processed")));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new SampleInstance(name, port, log, builder.start());
    }

    /** Waits until its health endpoint answers UP. */
    void awaitUp(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + log);
            }
            JsonNode health = get("/actuator/health");
            if (health != null && "UP".equals(health.path("status").asString())) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not come up within " + limit + "; see " + log);
    }

    /** {@code /actuator/leases}, or {@code null} when the instance does not answer. */
    JsonNode leases() {
        return get("/actuator/leases");
    }

    /** Shard → owner, as this instance sees the table; empty when it does not answer. */
    Map<String, String> owners() {
        Map<String, String> owners = new java.util.TreeMap<>();
        JsonNode leases = leases();
        if (leases != null) {
            for (JsonNode lease : leases.path("leases")) {
                owners.put(lease.path("shardId").asString(), lease.path("owner").isNull() ? "" : lease.path("owner").asString());
            }
        }
        return owners;
    }

    /** The shards this instance's coordinator holds. */
    Set<String> owned() {
        Set<String> owned = new TreeSet<>();
        JsonNode leases = leases();
        if (leases != null) {
            leases.path("coordinator").path("ownedShards").forEach(shard -> owned.add(shard.asString()));
        }
        return owned;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** SIGKILL: no shutdown hook runs, nothing is released. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: Spring Boot shuts down gracefully, and the coordinator hands its leases over. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        }
        catch (IOException unreachable) {
            return null;
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
