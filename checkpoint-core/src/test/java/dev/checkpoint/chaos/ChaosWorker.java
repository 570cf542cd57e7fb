package dev.checkpoint.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.CheckpointListener;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.PendingReset;
import dev.checkpoint.RequestOutcome;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.chaos.History.Checkpoint;
import dev.checkpoint.chaos.History.Hold;
import dev.checkpoint.chaos.History.Listening;
import dev.checkpoint.chaos.History.Outcome;
import dev.checkpoint.chaos.History.Renewal;
import dev.checkpoint.chaos.History.Take;
import dev.checkpoint.coordinator.CoordinatorTestAccess;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.OwnedShard;
import dev.checkpoint.coordinator.Shard;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.FaultInjector;
import dev.checkpoint.testsupport.TestDynamoDb;

/**
 * One incarnation of a worker process in a chaos run: a coordinator with its own client, fault injector and wall
 * clock, and a thread per owned shard that "processes" it by writing a checkpoint one higher than the last, every
 * {@code writeInterval}. It records everything it sees in the run's history.
 */
final class ChaosWorker implements LeaseListener {

    /** The coordinator's timing in a chaos run. */
    record Timing(Duration lease, Duration renew, Duration sync, Duration requestTimeout, int retries,
            Duration writeInterval) {
    }

    private final String id;
    private final History history;
    private final MonotonicClock clock;
    private final Duration writeInterval;
    private final FaultInjector faults = new FaultInjector();
    private final ShiftableClock wallClock;
    private final LeaseCoordinator coordinator;
    private final Map<OwnedShard, ShardLoop> loops = new ConcurrentHashMap<>();
    /** Since when (monotonic nanos) this worker's listener has had each handle: until leaseLost or leaseEnding returns. */
    private final Map<OwnedShard, Long> listening = new ConcurrentHashMap<>();
    private final List<Thread> shardThreads = new CopyOnWriteArrayList<>();
    private final AtomicInteger fencedWrites = new AtomicInteger();
    private final AtomicInteger takenAfterExpiry = new AtomicInteger();
    private final AtomicInteger takenByClaim = new AtomicInteger();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private volatile boolean alive = true;

    /**
     * @param id this incarnation, in the history
     * @param tableId its worker id in the table: the same as {@code id}, or a slot's, kept across incarnations
     */
    ChaosWorker(String id, String tableId, RenewalMode mode, TestDynamoDb server, String table,
            Supplier<List<Shard>> shards, Timing timing, Duration skew, long seed, History history, MonotonicClock clock) {
        this.id = id;
        this.history = history;
        this.clock = clock;
        this.writeInterval = timing.writeInterval();
        this.wallClock = new ShiftableClock(skew);
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder()
                .dynamoDbClient(server.newClient(faults)).tableName(table).workerId(tableId).renewalMode(mode)
                .leaseDuration(timing.lease()).requestTimeout(timing.requestTimeout()).retries(timing.retries())
                .enableLeaseStealing(true).claimTimeout(timing.lease().multipliedBy(3))
                .clock(wallClock).monotonicClock(clock).listener(new Recorder())
                .build();
        this.coordinator = CoordinatorTestAccess.seeded(LeaseCoordinator.builder(), seed)
                .checkpointer(checkpointer).shardSource(shards::get).listener(this)
                .renewInterval(timing.renew()).syncInterval(timing.sync()).shutdownGrace(Duration.ofSeconds(2))
                .build();
    }

    String id() {
        return id;
    }

    FaultInjector faults() {
        return faults;
    }

    ShiftableClock wallClock() {
        return wallClock;
    }

    LeaseCoordinator coordinator() {
        return coordinator;
    }

    /** Checkpoint writes that reached DynamoDB and were refused there by fencing. */
    int fencedWrites() {
        return fencedWrites.get();
    }

    /** Leases this worker took from an owner that had stopped renewing. */
    int takenAfterExpiry() {
        return takenAfterExpiry.get();
    }

    /** Heartbeats of this worker that landed (worker renewal mode). */
    int heartbeats() {
        return heartbeats.get();
    }

    /** Leases this worker took after claiming them. */
    int takenByClaim() {
        return takenByClaim.get();
    }

    /** Waits until every shard thread this worker ever started has ended. */
    void awaitShardThreads(Duration limit) throws InterruptedException {
        long deadline = clock.nanoTime() + limit.toNanos();
        for (Thread thread : shardThreads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - clock.nanoTime())));
        }
    }

    /** Starts the coordinator; the run has made the table. */
    void start() {
        coordinator.start();
    }

    /** The process dies: no release, no final checkpoint, every thread gone. */
    void kill() {
        alive = false;
        faults.cutOff();   // requests a freeze held back die with the process
        CoordinatorTestAccess.kill(coordinator);
        listening.keySet().forEach(this::stopListening);   // a dead listener has nothing
    }

    /**
     * The process stands still for {@code duration}, longer than a lease: every request it sends is held back,
     * so its shard threads stop between deciding to write (the handle said the lease was held) and the write
     * going out. When it resumes, those writes go out as if nothing had happened, and must be fenced.
     */
    void freeze(Duration duration) {
        faults.pause(duration);
    }

    /** Ends every fault in progress on this worker. */
    void clearFaults() {
        faults.clear();
    }

    void stop() {
        coordinator.stop(Duration.ofSeconds(2));
        alive = false;
    }

    boolean isAlive() {
        return alive;
    }

    @Override
    public void leaseGained(OwnedShard shard) {
        listening.put(shard, clock.nanoTime());
        if (!alive) {
            stopListening(shard);
            return;
        }
        ShardLoop loop = new ShardLoop(shard);
        loops.put(shard, loop);
        Thread thread = new Thread(loop, id + "/" + shard.shardId());
        thread.setDaemon(true);
        loop.thread = thread;
        shardThreads.add(thread);
        thread.start();
    }

    @Override
    public void leaseEnding(OwnedShard shard, EndReason reason) {
        ShardLoop loop = loops.remove(shard);
        if (loop != null) {
            loop.running = false;
            loop.awaitEnd(Duration.ofSeconds(1));   // within the shutdown grace period: the listener's contract
        }
        stopListening(shard);
    }

    @Override
    public void leaseLost(OwnedShard shard) {
        ShardLoop loop = loops.remove(shard);
        if (loop != null) {
            loop.running = false;
        }
        stopListening(shard);
    }

    /** The listener no longer has the shard: its span goes into the history, for property (f). */
    private void stopListening(OwnedShard shard) {
        Long since = listening.remove(shard);
        if (since != null) {
            history.listening.add(new Listening(id, shard.shardId(), since, clock.nanoTime()));
        }
    }

    /** Processes one shard while the handle says it is held, recording the hold and every write. */
    private final class ShardLoop implements Runnable {

        private final OwnedShard handle;
        private final long gainedNanos = clock.nanoTime();
        private volatile boolean running = true;
        private volatile Thread thread;

        ShardLoop(OwnedShard handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            long value = startAfter(handle);
            long lastHeld = Long.MIN_VALUE;
            try {
                while (running && alive) {
                    long now = clock.nanoTime();
                    if (!handle.isHeld()) {
                        break;
                    }
                    lastHeld = now;
                    value++;
                    if (write(value) == Outcome.REFUSED) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.sleep(writeInterval.toNanos());
                }
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            finally {
                if (lastHeld != Long.MIN_VALUE) {
                    history.holds.add(new Hold(id, handle.shardId(), gainedNanos, lastHeld));
                }
            }
        }

        /**
         * Writes through the handle, recording when the write really went out: after a freeze, that is when the
         * freeze ended, however long before it the handle was asked.
         */
        private Outcome write(long value) {
            long asked = clock.nanoTime();
            long transmittedBefore = faults.lastTransmissionOnThisThread();
            Outcome outcome;
            try {
                handle.checkpoint(Long.toString(value));
                outcome = Outcome.ACCEPTED;
            }
            catch (CheckpointStoreException unknown) {
                outcome = Outcome.UNKNOWN;
            }
            catch (CheckpointException refused) {
                outcome = Outcome.REFUSED;
            }
            long transmitted = faults.lastTransmissionOnThisThread();
            long sent = transmitted != transmittedBefore ? transmitted : asked;
            history.checkpoints.add(new Checkpoint(id, handle.shardId(), value, sent, clock.nanoTime(), outcome, gainedNanos));
            return outcome;
        }

        void awaitEnd(Duration limit) {
            Thread running = thread;
            if (running == null || running == Thread.currentThread()) {
                return;
            }
            try {
                running.join(limit.toMillis());
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The value before the first one to write: the checkpoint; or, after a reset to a sequence number, the one before
     * it (a reset to a sequence number processes that record again); else 0.
     */
    private static long startAfter(OwnedShard handle) {
        if (handle.checkpoint() != null) {
            return Long.parseLong(handle.checkpoint());
        }
        StartingPosition start = handle.startingPosition();
        return start != null && start.kind() == StartingPosition.Kind.AT_SEQUENCE_NUMBER
                ? Long.parseLong(start.sequenceNumber()) - 1 : 0;
    }

    /** Records the checkpointer's own account of takes and renewals, when their success was seen. */
    private final class Recorder implements CheckpointListener {

        /** In worker renewal mode, the heartbeats that landed: what keeps the leases alive there. */
        @Override
        public void requestCompleted(CheckpointOperation operation, RequestOutcome outcome, Duration latency) {
            if (operation == CheckpointOperation.HEARTBEAT && outcome == RequestOutcome.SUCCESS) {
                heartbeats.incrementAndGet();
            }
        }

        @Override
        public void leaseAcquired(String shardId, String previousOwner, boolean claimed) {
            history.takes.add(new Take(id, shardId, clock.nanoTime()));
            if (claimed) {
                takenByClaim.incrementAndGet();
            }
            else if (previousOwner != null) {
                takenAfterExpiry.incrementAndGet();
            }
        }

        /**
         * A "renewal" of a lease this worker no longer held (it lost it by the clock, or its take landed but the
         * answer did not arrive, while the row still names it) is a take again: the handle before it is gone.
         */
        @Override
        public void leaseRenewed(String shardId) {
            if (coordinator.ownedShards().contains(shardId)) {
                history.renewals.add(new Renewal(id, shardId, clock.nanoTime()));
            }
            else {
                history.takes.add(new Take(id, shardId, clock.nanoTime()));
            }
        }

        @Override
        public void resetApplied(String shardId, PendingReset reset) {
            history.resetsApplied.add(shardId);
        }

        @Override
        public void checkpointWritten(String shardId, Duration latency, boolean accepted) {
            if (!accepted) {
                fencedWrites.incrementAndGet();
            }
        }
    }
}
