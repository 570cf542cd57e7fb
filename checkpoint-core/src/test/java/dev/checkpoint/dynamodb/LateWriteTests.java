package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.KeepAlive;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.ShardStatus;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A request that DynamoDB receives but answers too late, after the client timed out and went on, can still be
 * applied later. Found by the chaos run: such a write of checkpoint 2 landed after checkpoint 3 and put the
 * shard back. Here the late request is the very request the SDK sent, replayed byte for byte after the newer
 * checkpoint: it must fail its condition.
 */
class LateWriteTests {

    private final ManualMonotonicClock clock = new ManualMonotonicClock();
    private final String table = Tables.newTableName();

    @Test
    void olderCheckpointWriteLandingLateDoesNotReplaceANewerOne() throws Exception {
        LateRequest late = new LateRequest();
        DynamoDbCheckpointer worker = Tables.initialised(Tables.checkpointer(Tables.client(late), table, "worker-1", clock));
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker-1");
        shard.setCheckpoint("1");
        worker.checkpointSequence(shard);

        late.captureNext();                      // the first attempt of "2" goes missing; the SDK's retry lands it
        shard.setCheckpoint("2");
        worker.checkpointSequence(shard);
        shard.setCheckpoint("3");
        worker.checkpointSequence(shard);
        HttpResponse<String> replay = late.replay();

        assertThat(replay.body()).contains("ConditionalCheckFailedException");
        assertThat(Tables.client().getItem(get -> get.tableName(table).consistentRead(true)
                .key(Map.of("ShardID", AttributeValue.fromS("shard-1")))).item().get("Checkpoint").s()).isEqualTo("3");
    }

    /**
     * A renewal given up on (its answer lost, no retry left) that lands later moves the row on. The next renewal, sent
     * after that, fails its condition and finds the row one version on and still this worker's: not its own write, but
     * the late one, which the other workers have counted from since it landed. Taking it for its own would date the
     * lease period from the second renewal's sending, later than the others do: the overlap the chaos run found. It
     * renews the row again instead, so the lease period starts with a write of its own.
     */
    @Test
    void aRenewalFindingAnEarlierRenewalOfItsOwnLandedLateRenewsAgain() throws Exception {
        LateRequest late = new LateRequest();
        LeaseStore store = Tables.initialised(Tables.checkpointer(Tables.client(late), table, "worker-1", clock)
                .retries(0)).leaseStore();
        KeepAlive.ByRenewal renewal = (KeepAlive.ByRenewal) store.keepAlive();
        assertThat(store.take("shard-1", null).leaseCounter()).isEqualTo(1);

        late.captureNext();
        assertThatThrownBy(() -> renewal.renew("shard-1", Duration.ofSeconds(5))).isInstanceOf(CheckpointStoreException.class);
        assertThat(late.replay().body()).doesNotContain("Exception");   // it lands now: counter 2
        clock.advance(Duration.ofSeconds(2));
        renewal.renew("shard-1", Duration.ofSeconds(5));

        assertThat(counterOf("shard-1")).as("a renewal written by the second call itself").isEqualTo(3);
    }

    /** The same for a take of a row that still names this worker (after it lost the lease by its own deadline). */
    @Test
    void aTakeFindingAnEarlierWriteOfItsOwnLandedLateTakesAgain() throws Exception {
        LateRequest late = new LateRequest();
        LeaseStore store = Tables.initialised(Tables.checkpointer(Tables.client(late), table, "worker-1", clock)
                .retries(0)).leaseStore();
        KeepAlive.ByRenewal renewal = (KeepAlive.ByRenewal) store.keepAlive();
        store.take("shard-1", null);

        late.captureNext();
        assertThatThrownBy(() -> renewal.renew("shard-1", Duration.ofSeconds(5))).isInstanceOf(CheckpointStoreException.class);
        assertThat(late.replay().body()).doesNotContain("Exception");
        clock.advance(Duration.ofSeconds(2));

        assertThat(store.take("shard-1", null).leaseCounter()).as("a take written by this call").isEqualTo(3);
        assertThat(counterOf("shard-1")).isEqualTo(3);
    }

    private long counterOf(String shardId) {
        return Long.parseLong(Tables.client().getItem(get -> get.tableName(table).consistentRead(true)
                .key(Map.of("ShardID", AttributeValue.fromS(shardId)))).item().get("LeaseCounter").n());
    }

    /** Keeps a copy of the next request, signed and ready, and fails it as a timeout would before its answer. */
    private static final class LateRequest implements ExecutionInterceptor {

        private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect");
        private final AtomicReference<Boolean> capturing = new AtomicReference<>(false);
        private volatile SdkHttpFullRequest request;
        private volatile byte[] body;

        void captureNext() {
            capturing.set(true);
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (capturing.compareAndSet(true, false)) {
                request = (SdkHttpFullRequest) context.httpRequest();
                try (InputStream content = context.requestBody().orElseThrow().contentStreamProvider().newStream()) {
                    body = content.readAllBytes();
                }
                catch (IOException failure) {
                    throw new UncheckedIOException(failure);
                }
                throw SdkClientException.create("injected: the answer did not come in time", new IOException("Read timed out"));
            }
        }

        HttpResponse<String> replay() throws IOException, InterruptedException {
            HttpRequest.Builder replay = HttpRequest.newBuilder(URI.create(request.getUri().toString()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            request.headers().forEach((name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(value -> replay.header(name, value));
                }
            });
            return HttpClient.newHttpClient().send(replay.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
