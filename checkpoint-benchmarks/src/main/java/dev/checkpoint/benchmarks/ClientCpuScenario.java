package dev.checkpoint.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.checkpoint.testsupport.RequestCounter;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Client CPU per call, ours against the floor, with no server at all: both on a client whose HTTP layer answers at
 * once from memory ({@link CannedHttpClient}), one thread, rounds interleaved. What is left is the SDK's work (signing,
 * marshalling, unmarshalling), the same on both sides, and ours on top: the ratio the "within 10 %" is about,
 * without dynalite sharing the two cores.
 */
final class ClientCpuScenario {

    private static final List<Operation> OPERATIONS = List.of(Operation.TAKE, Operation.RENEW, Operation.CHECKPOINT,
            Operation.RELEASE);
    private static final String TABLE = "cpu";

    /** Median CPU microseconds per call of each side, over the rounds. */
    record Row(Operation operation, double floorMicros, double oursMicros) {

        double ratio() {
            return oursMicros / floorMicros;
        }
    }

    private ClientCpuScenario() {
    }

    static List<Row> run(int callsPerRound, int rounds) throws Exception {
        CannedHttpClient floorHttp = new CannedHttpClient("raw-worker");
        CannedHttpClient oursHttp = new CannedHttpClient("our-worker");
        Contender floor = RawSdk.floor("canned", client(floorHttp), new RequestCounter(), TABLE, Map.of());
        Contender ours = Ours.contender(Contender.Kind.OURS, "canned", client(oursHttp), new RequestCounter(), TABLE, Map.of());
        List<Row> rows = new ArrayList<>();
        for (Operation operation : OPERATIONS) {
            Op floorOp = floor.operations().get(operation);
            Op oursOp = ours.operations().get(operation);
            String shard = shardOf(operation);
            floorHttp.answerWithRow(shard);
            oursHttp.answerWithRow(shard);
            floorOp.setUp(0);
            oursOp.setUp(0);
            List<Double> floorRounds = new ArrayList<>();
            List<Double> oursRounds = new ArrayList<>();
            measure(floorOp, floorHttp, operation, shard, callsPerRound);   // warm-up
            measure(oursOp, oursHttp, operation, shard, callsPerRound);
            for (int round = 0; round < rounds; round++) {
                floorRounds.add(measure(floorOp, floorHttp, operation, shard, callsPerRound));
                oursRounds.add(measure(oursOp, oursHttp, operation, shard, callsPerRound));
            }
            rows.add(new Row(operation, median(floorRounds), median(oursRounds)));
        }
        return rows;
    }

    /** CPU microseconds per timed call; before and after each call, untimed, the lease is put back as it needs. */
    private static double measure(Op op, CannedHttpClient http, Operation operation, String shard, int calls)
            throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = 0;
        for (int i = 0; i < calls; i++) {
            http.answerWithRow(shard);   // the before of a release is a take
            op.before(0);
            http.answerWithRow(operation == Operation.TAKE ? shard : null);
            long start = threads.getCurrentThreadCpuTime();
            op.timed(0);
            cpu += threads.getCurrentThreadCpuTime() - start;
            http.answerWithRow(null);
            op.after(0);
        }
        return cpu / 1_000.0 / calls;
    }

    private static String shardOf(Operation operation) {
        return switch (operation) {
            case TAKE -> "take-0";
            case RENEW -> "renew-0";
            case CHECKPOINT -> "checkpoint-0";
            case RELEASE -> "release-0";
            default -> throw new IllegalArgumentException(operation.toString());
        };
    }

    private static DynamoDbClient client(CannedHttpClient http) {
        return DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:1")).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(http).overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static void write(List<Row> rows, int callsPerRound, int rounds, Path output) throws IOException {
        Files.createDirectories(output);
        StringBuilder markdown = new StringBuilder(String.format(Locale.ROOT, """
                **Client CPU per call with no server** (an HTTP layer that answers from memory; one thread; %,d calls a
                round, median of %d interleaved rounds; the floor is the same conditional request with the raw SDK)

                | operation | floor, µs | ours, µs | ours ÷ floor |
                |---|---|---|---|
                """, callsPerRound, rounds));
        for (Row row : rows) {
            markdown.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", row.operation().description(),
                    row.floorMicros(), row.oursMicros(), row.ratio()));
        }
        Files.writeString(output.resolve("client-cpu.md"), markdown.toString());
    }
}
