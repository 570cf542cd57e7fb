package dev.checkpoint.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.checkpoint.testsupport.LocalAwsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The README's "Kinesis consumer in one bean", as a user copies it: an application with exactly the README's two
 * dependencies (this module's run-time class path), its one bean and its {@code application.yml}, no web server, run as
 * a process of its own. The only settings from outside are the AWS SDK's own environment variables, which point it at
 * the local servers. It must start, log through Logback, read every record, keep running once it has (before, every
 * thread was a daemon and the JVM exited about 3 s after start-up; before that, it did not start: no SnakeYAML), and stop
 * cleanly on SIGTERM, handing its leases back.
 */
class ReadmeConsumerProcessTests {

    private static final int RECORDS = 20;

    private final List<AutoCloseable> started = new ArrayList<>();
    private Process consumer;

    @AfterEach
    void stopEverything() throws Exception {
        if (consumer != null && consumer.isAlive()) {
            consumer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (AutoCloseable server : started) {
            server.close();
        }
    }

    @Test
    void theReadmesConsumerRunsAsWrittenKeepsConsumingWithoutAWebServerAndStopsCleanly() throws Exception {
        LocalAwsServer dynamoDb = start(LocalAwsServer.start(LocalAwsServer.Kind.DYNALITE, "--createTableMs", "0"));
        LocalAwsServer kinesis = start(LocalAwsServer.start(LocalAwsServer.Kind.KINESIS_LOCAL));
        try (KinesisClient client = KinesisClient.builder().endpointOverride(kinesis.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            client.createStream(create -> create.streamName("orders").shardCount(2));
            await().atMost(Duration.ofSeconds(30)).until(() -> client.describeStreamSummary(describe -> describe
                    .streamName("orders")).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
            client.putRecords(put -> put.streamName("orders").records(IntStream.range(0, RECORDS)
                    .mapToObj(i -> PutRecordsRequestEntry.builder().partitionKey("order-" + i)
                            .data(SdkBytes.fromUtf8String("order-" + i)).build()).toList()));
        }
        Path log = Files.createDirectories(Path.of("target", "processes")).resolve("readme-consumer.log");

        consumer = launch(log, Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString(),
                "AWS_ENDPOINT_URL_KINESIS", kinesis.endpoint().toString(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .failFast("the consumer exited; see " + log, () -> !consumer.isAlive())
                .until(() -> handled(log) == RECORDS);
        Thread.sleep(Duration.ofSeconds(5).toMillis());   // the bug exited about 3 s after start-up
        assertThat(consumer.isAlive()).as("still consuming after every record was read; see " + log).isTrue();
        assertThat(Files.readString(log)).as("logged through Logback, as Boot applications do")
                .contains("Started OrdersConsumer").doesNotContain("SLF4J").doesNotContain("snakeyaml");

        consumer.destroy();   // SIGTERM
        assertThat(consumer.waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        assertThat(Files.readString(log)).as("leases handed back in good order").contains("Lease coordinator")
                .contains(" stopped");
        assertThat(handled(log)).isEqualTo(RECORDS);
    }

    private LocalAwsServer start(LocalAwsServer server) {
        started.add(server);
        return server;
    }

    /** The application, with this module's run-time class path only: the README's two dependencies and their own. */
    private static Process launch(Path log, Map<String, String> environment) throws IOException {
        String classpath = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(Path.of("target", "runtime-classpath.txt")).trim();
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-cp", classpath, OrdersConsumer.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static long handled(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(line -> line.startsWith("handled order "))
                .distinct().count();
    }
}
