package dev.checkpoint.dynamodb;

import static dev.checkpoint.StoreCalls.checkpoint;
import static dev.checkpoint.KeepAlives.renewal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.testsupport.FaultInjector;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * A worker never loses a lease to itself, and a renewal is only a renewal, bounded by the lease's deadline. Against
 * dynalite, on the system clock.
 */
class OwnWritesTests {

    /** A shard's lock is kept only while in use: 10,000 shards written once each leave nothing behind. */
    @Test
    void locksOfShardsNoLongerWrittenAreForgotten() throws Exception {
        OwnWrites writes = new OwnWrites(System::nanoTime);
        for (int i = 0; i < 10_000; i++) {
            writes.lock("shard-" + i);
            writes.unlock("shard-" + i);
        }
        writes.lock("held");
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertThatThrownBy(() -> other.submit(() -> writes.lockBefore("held", System.nanoTime() + 1_000_000, "renewal"))
                    .get()).hasCauseInstanceOf(CheckpointStoreException.class);
            AtomicBoolean second = new AtomicBoolean();
            Future<?> waiting = other.submit(() -> {
                writes.lock("held");
                second.set(true);
                writes.unlock("held");
            });
            Thread.sleep(50);
            assertThat(second).as("excluded while the first write holds the lock").isFalse();
            writes.unlock("held");
            waiting.get(10, TimeUnit.SECONDS);
            assertThat(second).isTrue();
        }
        finally {
            other.shutdownNow();
        }
        assertThat(writes.shardsInUse()).isZero();
    }

    private static final Duration LEASE = Duration.ofSeconds(10);

    @Test
    void renewalsRunningBesideCheckpointsNeverMakeThemFail() throws Exception {
        // Every request takes 15 ms longer, so that each checkpoint write overlaps a renewal: before this worker's
        // writes to a row were serialised, its own renewals moved the counter under its checkpoints, three times in
        // a row, and the checkpointer gave up a lease it held ("kept losing races with renewals").
        DynamoDbCheckpointer worker = checkpointer("worker-1", TestDynamoDb.shared().newClient(new Latency(15)), Tables.newTableName());
        worker.init();
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker-1");
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger renewals = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> renewing = threads.submit(() -> {
                while (!done.get()) {
                    renewal(worker.leaseStore()).renew("shard-1", LEASE);
                    renewals.incrementAndGet();
                }
                return null;
            });
            for (int i = 1; i <= 150; i++) {
                ShardStatus write = new ShardStatus("shard-1");
                write.setCheckpoint(Integer.toString(i));
                worker.checkpointSequence(write);   // throws LeaseLostException if it lost to a renewal
            }
            done.set(true);
            renewing.get(10, TimeUnit.SECONDS);
        }
        finally {
            done.set(true);
            threads.shutdownNow();
        }
        assertThat(renewals.get()).as("renewals that ran beside the checkpoints").isGreaterThan(50);
    }

    @Test
    void aRenewalNeverTakesALeaseThatWasReleased() {
        String table = Tables.newTableName();
        DynamoDbCheckpointer worker = checkpointer("worker-1", Tables.client(), table);
        worker.init();
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker-1");
        worker.removeLeaseOwner("shard-1");   // an operator's release, through the same checkpointer

        assertThatThrownBy(() -> renewal(worker.leaseStore()).renew(shard.getId(), LEASE)).isInstanceOf(LeaseNotAcquiredException.class);
        assertThat(row(table, "shard-1")).doesNotContainKey("AssignedTo");
    }

    @Test
    void aRenewalNeverTakesALeaseReleasedBehindItsBack() {
        String table = Tables.newTableName();
        DynamoDbCheckpointer worker = checkpointer("worker-1", Tables.client(), table);
        worker.init();
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker-1");
        // Another process of the same worker id (an operator's tool) releases it: this worker has not seen that.
        checkpointer("worker-1", Tables.client(), table).removeLeaseOwner("shard-1");

        assertThatThrownBy(() -> renewal(worker.leaseStore()).renew(shard.getId(), LEASE)).isInstanceOf(LeaseNotAcquiredException.class);
        assertThat(row(table, "shard-1")).doesNotContainKey("AssignedTo");
        assertThatThrownBy(() -> {
            shard.setCheckpoint("7");
            worker.checkpointSequence(shard);
        }).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void aRenewalGivesUpAtItsDeadlineWhateverTheRetries() {
        FaultInjector faults = new FaultInjector();
        ManualMonotonicClock clock = new ManualMonotonicClock();
        List<Duration> sleeps = new java.util.concurrent.CopyOnWriteArrayList<>();
        String table = Tables.newTableName();
        DynamoDbCheckpointer worker = DynamoDbCheckpointer.builder().dynamoDbClient(TestDynamoDb.shared().newClient(faults))
                .tableName(table).workerId("worker-1").leaseDuration(LEASE).retries(10)
                .requestTimeout(Duration.ofSeconds(2)).monotonicClock(clock)
                .sleeper(duration -> {   // the backoff passes on the manual clock, not on the wall
                    sleeps.add(duration);
                    clock.advance(duration);
                }).build();
        worker.init();
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker-1");
        faults.throttleNext(1_000);
        sleeps.clear();   // the table's creation polls on the same sleeper: only the renewal's waits count

        assertThatThrownBy(() -> renewal(worker.leaseStore()).renew(shard.getId(), Duration.ofMillis(400)))
                .isInstanceOf(CheckpointStoreException.class);

        // Ten retries with backoff would wait about 11 s; the deadline ends it: no wait goes past 400 ms.
        assertThat(sleeps.stream().mapToLong(Duration::toNanos).sum()).isLessThanOrEqualTo(Duration.ofMillis(400).toNanos());
    }

    /**
     * A checkpoint holds the row's write lock that renewals wait on: bounded by the lease's deadline as a renewal is,
     * it gives up then, before its next retry would wait past it (before, it went through all 11 attempts, about 11 s
     * here, and the renewals waited behind it).
     */
    @Test
    void aCheckpointGivesUpAtTheLeasesDeadlineWhateverTheRetries() {
        FaultInjector faults = new FaultInjector();
        DynamoDbCheckpointer worker = DynamoDbCheckpointer.builder().dynamoDbClient(TestDynamoDb.shared().newClient(faults))
                .tableName(Tables.newTableName()).workerId("worker-1").leaseDuration(LEASE).retries(10)
                .requestTimeout(Duration.ofSeconds(2)).build();
        worker.init();
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker-1");
        faults.throttleNext(1_000);
        shard.setCheckpoint("42");

        assertThatThrownBy(() -> checkpoint(worker.leaseStore(), shard, Duration.ofMillis(400)))
                .isInstanceOf(CheckpointStoreException.class).hasMessageNotContaining("after 11 attempts");
        faults.clear();
        renewal(worker.leaseStore()).renew(shard.getId(), LEASE);   // the row's lock was given back
    }

    @Test
    void aRenewalWhoseAnswerDoesNotComeEndsAtItsDeadlineNotAtTheRequestTimeout() {
        Latency latency = new Latency(0);
        DynamoDbCheckpointer worker = DynamoDbCheckpointer.builder()
                .dynamoDbClient(TestDynamoDb.shared().newClient(latency)).tableName(Tables.newTableName())
                .workerId("worker-1").leaseDuration(LEASE).retries(10).requestTimeout(Duration.ofSeconds(6)).build();
        worker.init();
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker-1");
        latency.millis = 8_000;   // no answer for longer than the request timeout

        long start = System.nanoTime();
        assertThatThrownBy(() -> renewal(worker.leaseStore()).renew(shard.getId(), Duration.ofMillis(300)))
                .isInstanceOf(CheckpointStoreException.class);

        // at its deadline (300 ms), not at the request timeout (6 s): half of it leaves room for a busy machine
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aRenewalWaitingBehindAnotherWriteOfThisWorkerGivesUpAtItsDeadline() throws Exception {
        Latency latency = new Latency(0);
        DynamoDbCheckpointer worker = checkpointer("worker-1", TestDynamoDb.shared().newClient(latency), Tables.newTableName());
        worker.init();
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker-1");
        latency.millis = 1_800;   // each request from now on, under the request timeout
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<?> checkpoint = thread.submit(() -> {
                ShardStatus write = new ShardStatus("shard-1");
                write.setCheckpoint("1");
                worker.checkpointSequence(write);
            });
            Thread.sleep(100);   // the checkpoint is in flight

            long start = System.nanoTime();
            assertThatThrownBy(() -> renewal(worker.leaseStore()).renew(shard.getId(), Duration.ofMillis(200)))
                    .isInstanceOf(CheckpointStoreException.class).hasMessageContaining("deadline");
            // at its deadline (200 ms), not once the checkpoint in flight (1.8 s) is done
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_200));
            checkpoint.get(5, TimeUnit.SECONDS);
        }
        finally {
            thread.shutdownNow();
        }
    }

    private static DynamoDbCheckpointer checkpointer(String workerId, DynamoDbClient client, String table) {
        return DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName(table).workerId(workerId)
                .leaseDuration(LEASE).monotonicClock(MonotonicClock.SYSTEM).build();
    }

    private static Map<String, AttributeValue> row(String table, String shardId) {
        return Tables.client().getItem(GetItemRequest.builder().tableName(table)
                .key(Map.of("ShardID", AttributeValue.fromS(shardId))).consistentRead(true).build()).item();
    }

    /** Adds a delay to every request, before it is sent; a timeout's interrupt ends it, as it would a slow answer. */
    private static final class Latency implements ExecutionInterceptor {

        volatile long millis;

        Latency(long millis) {
            this.millis = millis;
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            try {
                Thread.sleep(millis);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
