package dev.checkpoint.kinesis;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.checkpoint.testsupport.LocalAwsServer;
import dev.checkpoint.testsupport.LocalKinesisClients;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * One kinesis-local for the test JVM, on free ports, and streams on it: its plain HTTP port for the sync client, its
 * HTTPS port (HTTP/2 through ALPN, a self-signed certificate) for enhanced fan-out's {@code SubscribeToShard}.
 */
final class TestKinesis {

    private static LocalAwsServer server;

    private final KinesisClient client;

    private TestKinesis(KinesisClient client) {
        this.client = client;
    }

    static synchronized TestKinesis shared() {
        if (server == null) {
            server = LocalAwsServer.start(LocalAwsServer.Kind.KINESIS_LOCAL, "--shardLimit", "200");
        }
        return new TestKinesis(newClient());
    }

    /** The shared kinesis-local's plain HTTP endpoint. */
    static java.net.URI endpoint() {
        return server.endpoint();
    }

    /** A client of the shared kinesis-local, with the given interceptors (to count or fail requests). */
    static KinesisClient newClient(ExecutionInterceptor... interceptors) {
        return KinesisClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(override -> override.executionInterceptors(List.of(interceptors)))
                .build();
    }

    /** An async client of the shared kinesis-local over HTTP/2, for enhanced fan-out: see {@link LocalKinesisClients}. */
    static KinesisAsyncClient newAsyncClient(ExecutionInterceptor... interceptors) {
        return LocalKinesisClients.asyncClient(server, interceptors);
    }

    KinesisClient client() {
        return client;
    }

    /** A new stream with {@code shards} shards, once ACTIVE. */
    String createStream(int shards) {
        String stream = "stream-" + UUID.randomUUID().toString().substring(0, 8);
        client.createStream(create -> create.streamName(stream).shardCount(shards));
        awaitActive(stream);
        return stream;
    }

    void awaitActive(String stream) {
        await().atMost(Duration.ofSeconds(30)).until(() -> client.describeStreamSummary(describe -> describe.streamName(stream))
                .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
    }

    /** Puts {@code count} records named {@code prefix-0}, {@code prefix-1}, …, each with its name as key and data. */
    List<String> put(String stream, String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int from = 0; from < count; from += 500) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + 500); i++) {
                String name = prefix + "-" + i;
                names.add(name);
                entries.add(PutRecordsRequestEntry.builder().partitionKey(name)
                        .data(SdkBytes.fromString(name, StandardCharsets.UTF_8)).build());
            }
            PutRecordsResponse response = client.putRecords(put -> put.streamName(stream).records(entries));
            if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
                throw new IllegalStateException(response.failedRecordCount() + " records were not put");
            }
        }
        return names;
    }

    /** The open shard a record of {@code partitionKey} goes to: the one whose hash key range holds its key's MD5. */
    String shardOf(String stream, String partitionKey) {
        java.math.BigInteger hash;
        try {
            hash = new java.math.BigInteger(1, java.security.MessageDigest.getInstance("MD5")
                    .digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
        }
        catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
        return shards(stream).stream().filter(shard -> shard.sequenceNumberRange().endingSequenceNumber() == null)
                .filter(shard -> hash.compareTo(new java.math.BigInteger(shard.hashKeyRange().startingHashKey())) >= 0
                        && hash.compareTo(new java.math.BigInteger(shard.hashKeyRange().endingHashKey())) <= 0)
                .findFirst().orElseThrow().shardId();
    }

    List<Shard> shards(String stream) {
        return client.listShards(list -> list.streamName(stream)).shards();
    }

    /** Splits the shard in two halves of its hash key range. */
    void split(String stream, String shardId) {
        Shard shard = shards(stream).stream().filter(s -> s.shardId().equals(shardId)).findFirst().orElseThrow();
        java.math.BigInteger low = new java.math.BigInteger(shard.hashKeyRange().startingHashKey());
        java.math.BigInteger high = new java.math.BigInteger(shard.hashKeyRange().endingHashKey());
        String middle = low.add(high).shiftRight(1).toString();
        client.splitShard(split -> split.streamName(stream).shardToSplit(shardId).newStartingHashKey(middle));
        awaitActive(stream);
    }

    /** Merges two adjacent shards. */
    void merge(String stream, String shardId, String adjacentShardId) {
        client.mergeShards(merge -> merge.streamName(stream).shardToMerge(shardId).adjacentShardToMerge(adjacentShardId));
        awaitActive(stream);
    }
}
