package dev.checkpoint.benchmarks;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.checkpoint.testsupport.RequestCounter;
import io.awspring.cloud.dynamodb.DynamoDbLockRepository;
import io.awspring.cloud.dynamodb.DynamoDbMetadataStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Spring Cloud AWS 4.0.0: {@link DynamoDbLockRepository} for take (acquire), renew and release (delete), and
 * {@link DynamoDbMetadataStore#replace} as a checkpoint. It has no listing. It takes only an asynchronous client.
 */
final class SpringCloudAws {

    private static final Duration TTL = Duration.ofSeconds(10);

    private SpringCloudAws() {
    }

    static Contender contender(DynamoDbAsyncClient client, RequestCounter counter, String lockTable, String metadataTable) {
        DynamoDbLockRepository locks = new DynamoDbLockRepository(client, lockTable);
        locks.setOwner("sca-worker");
        locks.afterPropertiesSet();
        DynamoDbMetadataStore metadata = new DynamoDbMetadataStore(client, metadataTable);
        metadata.afterPropertiesSet();
        Map<String, Long> checkpoints = new ConcurrentHashMap<>();
        Map<Operation, Op> ops = new EnumMap<>(Operation.class);
        ops.put(Operation.TAKE, new Op() {
            @Override
            public void timed(int thread) throws Exception {
                require(locks.acquire("take-" + thread, TTL));
            }

            @Override
            public void after(int thread) {
                locks.delete("take-" + thread);
            }
        });
        ops.put(Operation.RENEW, new Op() {
            @Override
            public void setUp(int thread) throws Exception {
                require(locks.acquire("renew-" + thread, TTL));
            }

            @Override
            public void timed(int thread) {
                require(locks.renew("renew-" + thread, TTL));
            }
        });
        ops.put(Operation.CHECKPOINT, new Op() {
            @Override
            public void setUp(int thread) {
                metadata.put("checkpoint-" + thread, "0");
                checkpoints.put("checkpoint-" + thread, 0L);
            }

            @Override
            public void timed(int thread) {
                long last = checkpoints.get("checkpoint-" + thread);
                require(metadata.replace("checkpoint-" + thread, Long.toString(last), Long.toString(last + 1)));
                checkpoints.put("checkpoint-" + thread, last + 1);
            }
        });
        ops.put(Operation.RELEASE, new Op() {
            @Override
            public void before(int thread) throws Exception {
                require(locks.acquire("release-" + thread, TTL));
            }

            @Override
            public void timed(int thread) {
                locks.delete("release-" + thread);
            }
        });
        return new Contender("Spring Cloud AWS 4.0.0", Contender.Kind.SPRING_CLOUD_AWS, Clients.NETTY, counter, ops);
    }

    private static void require(boolean done) {
        if (!done) {
            throw new IllegalStateException("Spring Cloud AWS refused the operation");
        }
    }
}
