package dev.checkpoint.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.RequestOutcome;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.FaultInjector;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Workers, each a coordinator with its own client, sharing one fresh table and one mutable list of shards. */
final class Cluster implements AutoCloseable {

    static final Duration LEASE = Duration.ofSeconds(1);
    static final Duration RENEW = Duration.ofMillis(250);
    static final Duration SYNC = Duration.ofSeconds(1);
    /** How many times its bound a wall-clock wait may take: CI machines are shared, and a busy one stretches time. */
    static final int PATIENCE = 4;

    final String table = TestDynamoDb.uniqueTableName("coordinator");
    final List<Shard> shards = new CopyOnWriteArrayList<>();
    final List<Worker> workers = new ArrayList<>();

    /** One worker: its coordinator, listener, checkpointer, fault injector and request counts. */
    record Worker(String id, LeaseCoordinator coordinator, RecordingListener listener, DynamoDbCheckpointer checkpointer,
            FaultInjector faults, Map<CheckpointOperation, Integer> requests) {

        int owned() {
            return coordinator.ownedShards().size();
        }

        int requests(CheckpointOperation operation) {
            return requests.getOrDefault(operation, 0);
        }
    }

    private final RenewalMode mode;
    private final Duration lease;

    Cluster(int shardCount) {
        this(shardCount, RenewalMode.LEASE);
    }

    Cluster(int shardCount, RenewalMode mode) {
        this(shardCount, mode, LEASE);
    }

    /** With a lease of its own: for a test whose point is that something happens long before a lease runs out. */
    Cluster(int shardCount, RenewalMode mode, Duration lease) {
        this.mode = mode;
        this.lease = lease;
        IntStream.range(0, shardCount).forEach(i -> shards.add(Shard.of(String.format("shardId-%012d", i))));
    }

    Worker start(String id) {
        return start(id, builder -> builder);
    }

    /**
     * The table's creation, or its description, with the workers' short request timeout (300 ms, three attempts): on a
     * busy machine (a CPU hog beside the build, another test class on the same dynalite) it can take longer, and no
     * test here is about it. Tried again for up to 30 s; what the tests check starts after.
     */
    private static void initWithPatience(DynamoDbCheckpointer checkpointer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                checkpointer.init();
                return;
            }
            catch (CheckpointStoreException slow) {
                if (System.nanoTime() - deadline > 0) {
                    throw slow;
                }
            }
        }
    }

    Worker start(String id, UnaryOperator<LeaseCoordinator.Builder> settings) {
        Worker worker = create(id, settings);
        worker.coordinator().start();
        return worker;
    }

    Worker create(String id, UnaryOperator<LeaseCoordinator.Builder> settings) {
        FaultInjector faults = new FaultInjector();
        Map<CheckpointOperation, Integer> requests = new ConcurrentHashMap<>();
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder()
                .dynamoDbClient(TestDynamoDb.shared().newClient(faults))
                .tableName(table).workerId(id).renewalMode(mode).leaseDuration(lease).requestTimeout(Duration.ofMillis(300))
                .retries(2).enableLeaseStealing(true).claimTimeout(lease.multipliedBy(3))
                .listener(new CheckpointListener() {
                    @Override
                    public void requestCompleted(CheckpointOperation operation, RequestOutcome outcome, Duration latency) {
                        requests.merge(operation, 1, Integer::sum);
                    }
                })
                .build();
        initWithPatience(checkpointer);
        RecordingListener listener = new RecordingListener(id);
        LeaseCoordinator coordinator = settings.apply(LeaseCoordinator.builder()
                .checkpointer(checkpointer).shardSource(() -> List.copyOf(shards)).listener(listener)
                .renewInterval(RENEW).syncInterval(SYNC).shutdownGrace(Duration.ofSeconds(2))
                .random(new java.util.Random(id.hashCode()))).build();
        Worker worker = new Worker(id, coordinator, listener, checkpointer, faults, requests);
        workers.add(worker);
        return worker;
    }

    /** Waits until {@code condition} holds; returns how long it took, failing after {@code limit} with {@code state}. */
    static Duration await(Duration limit, BooleanSupplier condition, java.util.function.Supplier<String> state) {
        try {
            return await(limit, condition);
        }
        catch (AssertionError late) {
            throw new AssertionError(late.getMessage() + "; " + state.get(), late);
        }
    }

    /**
     * Waits until {@code condition} holds; returns how long it took, failing after {@code limit} times
     * {@link #PATIENCE}. These tests show what must happen on a real server; how fast it happens is held on the manual
     * clock ({@code CoordinatorOnInMemoryStoreTests}), where a busy machine cannot stretch it.
     */
    static Duration await(Duration limit, BooleanSupplier condition) {
        long start = System.nanoTime();
        Duration patient = limit.multipliedBy(PATIENCE);
        try {
            Awaitility.await().atMost(patient).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(condition::getAsBoolean);
        }
        catch (ConditionTimeoutException late) {
            throw new AssertionError("condition not met within " + patient + " (" + PATIENCE + " times " + limit
                    + ", for a busy machine)", late);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }

    /** Each worker's lease count and status. */
    String describe() {
        StringBuilder state = new StringBuilder();
        workers.forEach(worker -> state.append(worker.id()).append('=').append(worker.owned()).append(' ')
                .append(worker.coordinator().status()).append("; "));
        return state.toString();
    }

    int totalOwned() {
        return workers.stream().mapToInt(Worker::owned).sum();
    }

    void assertEveryShardOwnedOnce() {
        List<String> owned = new ArrayList<>();
        workers.forEach(worker -> owned.addAll(worker.coordinator().ownedShards()));
        assertThat(owned).doesNotHaveDuplicates();
    }

    @Override
    public void close() {
        for (Worker worker : workers) {
            try {
                worker.coordinator().halt();
            }
            catch (RuntimeException alreadyStopped) {
                // stopped by the test
            }
        }
    }
}
