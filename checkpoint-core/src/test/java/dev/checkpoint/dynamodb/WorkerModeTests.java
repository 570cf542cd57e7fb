package dev.checkpoint.dynamodb;

import static dev.checkpoint.StoreCalls.checkpoint;
import static dev.checkpoint.StoreCalls.claim;
import static dev.checkpoint.StoreCalls.take;
import static dev.checkpoint.KeepAlives.renewal;
import static dev.checkpoint.KeepAlives.heartbeats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.Heartbeat;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.RenewalModeMismatchException;
import dev.checkpoint.RequestOutcome;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardResetException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.WorkerLostException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * Worker renewal mode against a real server: one heartbeat keeps every lease of a worker alive; a silent worker is
 * judged dead after a lease duration on the taker's own clock, marked so, and its late heartbeat and checkpoints are
 * refused; a restarted worker takes its own leases back at once; claims and resets reach the owner through its
 * heartbeat; a per-lease worker is refused on the table.
 */
class WorkerModeTests {

    private static final Duration LEASE = Tables.LEASE;

    private final DynamoDbClient client = Tables.client();
    private final ManualMonotonicClock clockA = new ManualMonotonicClock();
    private final ManualMonotonicClock clockB = new ManualMonotonicClock();
    private final Map<CheckpointOperation, Integer> requestsOfA = new ConcurrentHashMap<>();
    private String table;
    private LeaseStore a;
    private LeaseStore b;

    @BeforeEach
    void twoRegisteredWorkers() {
        table = Tables.newTableName();
        a = worker("worker-a", clockA, new CheckpointListener() {
            @Override
            public void requestCompleted(CheckpointOperation operation, RequestOutcome outcome, Duration latency) {
                requestsOfA.merge(operation, 1, Integer::sum);
            }
        });
        b = worker("worker-b", clockB, new CheckpointListener() { });
        a.register();
        b.register();
    }

    private LeaseStore worker(String id, ManualMonotonicClock clock, CheckpointListener listener) {
        DynamoDbCheckpointer checkpointer = Tables.checkpointer(client, table, id, clock).renewalMode(RenewalMode.WORKER)
                .enableLeaseStealing(true).listener(listener).build();
        checkpointer.init();
        return checkpointer.leaseStore();
    }

    private ShardStatus take(LeaseStore store, String shardId) {
        ShardStatus shard = new ShardStatus(shardId);
        dev.checkpoint.StoreCalls.take(store, shard);
        return shard;
    }

    @Test
    void oneHeartbeatKeepsEveryLeaseAliveAndWritesNoLeaseRow() {
        for (int i = 1; i <= 3; i++) {
            take(a, "shard-" + i);
        }
        Map<String, Long> countersAfterTakes = counters();
        b.scan();
        requestsOfA.clear();

        for (int beat = 0; beat < 4; beat++) {
            clockB.advance(LEASE.dividedBy(2));
            assertThat(heartbeats(a).heartbeat(LEASE)).isEqualTo(Heartbeat.quiet());
            b.scan();
        }

        assertThat(requestsOfA).as("one write a heartbeat, whatever the leases held").isEqualTo(Map.of(CheckpointOperation.HEARTBEAT, 4));
        assertThat(counters()).as("lease rows untouched by heartbeats").isEqualTo(countersAfterTakes);
        clockB.advance(LEASE.dividedBy(2).plusSeconds(1));   // the last heartbeat seen stood still less than a lease
        assertThat(b.isExpired("shard-1")).isFalse();
        assertThatThrownBy(() -> take(b, "shard-1")).isInstanceOf(LeaseNotAcquiredException.class);
        assertThat(b.scan()).extracting(Lease::owner).containsOnly("worker-a");
        assertThat(b.scan()).extracting(Lease::shardId).as("heartbeat and mode rows are no leases")
                .containsExactly("shard-1", "shard-2", "shard-3");
    }

    @Test
    void aSilentWorkersLeasesAreTakenAfterALeaseDurationAndItsLateWritesAreRefused() {
        ShardStatus ofA = take(a, "shard-1");
        ofA.setCheckpoint("100");
        checkpoint(a, ofA);
        b.scan();
        clockB.advance(LEASE.minusMillis(1));
        assertThat(b.isExpired("shard-1")).isFalse();
        clockB.advance(Duration.ofMillis(2));
        assertThat(b.isExpired("shard-1")).isTrue();

        ShardStatus ofB = take(b, "shard-1");

        assertThat(ofB.getCheckpoint()).isEqualTo("100");
        assertThat(heartbeatRow("worker-a").get("WorkerEpoch").s()).startsWith("expired:");
        assertThat(heartbeatRow("worker-a").get("ExpiredBy").s()).isEqualTo("worker-b");
        ofA.setCheckpoint("150");
        assertThatThrownBy(() -> checkpoint(a, ofA)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> heartbeats(a).heartbeat(LEASE)).isInstanceOf(WorkerLostException.class)
                .hasMessageContaining("judged it dead");
        assertThat(row("shard-1").get("Checkpoint").s()).isEqualTo("100");
        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("worker-b");
    }

    @Test
    void aHeartbeatThatLandsBeforeTheJudgementIsWrittenKeepsTheLeases() {
        take(a, "shard-1");
        b.scan();
        clockB.advance(LEASE.plusSeconds(1));
        assertThat(b.isExpired("shard-1")).as("as last seen").isTrue();

        heartbeats(a).heartbeat(LEASE);   // lands between B's judgement and its write

        assertThatThrownBy(() -> take(b, "shard-1")).isInstanceOf(LeaseNotAcquiredException.class)
                .hasMessageContaining("heartbeat is alive");
        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("worker-a");
        assertThat(heartbeatRow("worker-a").get("WorkerEpoch").s()).doesNotStartWith("expired:");
        heartbeats(a).heartbeat(LEASE);
    }

    @Test
    void aRestartedWorkerTakesItsOwnLeasesBackAtOnceAndTheOldProcessIsFenced() {
        ShardStatus old = take(a, "shard-1");
        old.setCheckpoint("100");
        checkpoint(a, old);
        take(a, "shard-2");
        LeaseStore restarted = worker("worker-a", new ManualMonotonicClock(), new CheckpointListener() { });
        restarted.register();

        restarted.scan();
        assertThat(restarted.isExpired("shard-1")).isTrue();
        ShardStatus again = take(restarted, "shard-1");
        take(restarted, "shard-2");

        assertThat(again.getCheckpoint()).isEqualTo("100");
        old.setCheckpoint("150");
        assertThatThrownBy(() -> checkpoint(a, old)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> checkpoint(a, old)).as("again, with the row re-read").isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> a.release("shard-2")).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> a.release("shard-2")).as("again").isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> heartbeats(a).heartbeat(LEASE)).isInstanceOf(WorkerLostException.class)
                .hasMessageContaining("another process registered");
        assertThat(row("shard-1").get("Checkpoint").s()).isEqualTo("100");
        assertThat(row("shard-2").get("AssignedTo").s()).isEqualTo("worker-a");
        assertThat(heartbeats(restarted).heartbeat(LEASE)).isEqualTo(Heartbeat.quiet());
    }

    @Test
    void othersTakeAnOrphanedLeaseWithoutWaitingOnceTheyHaveReadTheNewEpoch() {
        take(a, "shard-1");
        b.scan();
        LeaseStore restarted = worker("worker-a", new ManualMonotonicClock(), new CheckpointListener() { });
        restarted.register();

        clockB.advance(Duration.ofMillis(1));
        b.scan();   // the new epoch, read after the lease was first seen
        assertThat(b.isExpired("shard-1")).isTrue();
        take(b, "shard-1");

        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("worker-b");
    }

    @Test
    void aLeaseSeenOnlyWithTheSameReadAsANewerEpochIsNotJudgedOrphaned() {
        LeaseStore restarted = worker("worker-a", new ManualMonotonicClock(), new CheckpointListener() { });
        take(a, "shard-1");
        restarted.register();
        // B reads the lease (epoch 1) and the heartbeat (epoch 2) in one scan: it cannot tell which is newer.
        b.scan();

        assertThat(b.isExpired("shard-1")).isFalse();
    }

    /** A claimant that stops takes its claim back out of the owner's mailbox, or off the row once released to it. */
    @Test
    void aWithdrawnClaimIsGoneFromTheMailboxAndFromTheRow() {
        take(a, "shard-1");
        take(a, "shard-2");
        b.scan();
        claimFromA("shard-2");
        assertThat(heartbeats(a).heartbeat(LEASE).claims()).containsOnlyKeys("shard-2");
        a.release("shard-2");   // handed over: the claim is on the row now
        claimFromA("shard-1");  // still in the mailbox: a has not heard of it

        b.withdrawClaim("shard-1", "worker-a");
        b.withdrawClaim("shard-2", "worker-a");

        assertThat(heartbeats(a).heartbeat(LEASE).claims()).isEmpty();
        assertThat(row("shard-2")).doesNotContainKey("ClaimRequest");
        LeaseStore third = worker("worker-c", new ManualMonotonicClock(), new CheckpointListener() { });
        third.register();
        third.scan();
        take(third, "shard-2");   // free for anybody at once
    }

    /**
     * A claim by a worker whose heartbeat stood still for a lease is a dead claimant's: passed at once, not after the
     * claim timeout, nor after the lease has stood free for a lease duration.
     */
    @Test
    void aClaimOfAWorkerWhoseHeartbeatStoodStillForALeaseIsPassedAtOnce() {
        take(a, "shard-1");
        ManualMonotonicClock clockC = new ManualMonotonicClock();
        LeaseStore c = worker("worker-c", clockC, new CheckpointListener() { });
        c.register();
        c.scan();   // b's heartbeat seen now; b says nothing more
        b.scan();
        claimFromA("shard-1");
        clockC.advance(LEASE.plusSeconds(1));
        assertThat(heartbeats(a).heartbeat(LEASE).claims()).containsKey("shard-1");
        a.release("shard-1");   // handed over to b, which is gone
        c.scan();

        take(c, "shard-1");

        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("worker-c");
    }

    private void claimFromA(String shardId) {
        ShardStatus wanted = new ShardStatus(shardId);
        wanted.setLeaseOwner("worker-a");
        claim(b, wanted);
    }

    @Test
    void aClaimTravelsInTheOwnersHeartbeatAndTheReleaseLeavesTheShardToTheClaimant() {
        take(a, "shard-1");
        b.scan();
        ShardStatus wanted = new ShardStatus("shard-1");
        wanted.setLeaseOwner("worker-a");

        claim(b, wanted);

        assertThat(row("shard-1").containsKey("ClaimRequest")).as("the lease row is not written").isFalse();
        Heartbeat beat = heartbeats(a).heartbeat(LEASE);
        assertThat(beat.claims()).isEqualTo(Map.of("shard-1", "worker-b"));
        a.release("shard-1");
        assertThat(row("shard-1").get("ClaimRequest").s()).isEqualTo("worker-b");
        LeaseStore third = worker("worker-c", new ManualMonotonicClock(), new CheckpointListener() { });
        third.register();
        third.scan();
        assertThatThrownBy(() -> take(third, "shard-1")).isInstanceOf(ShardClaimedException.class);
        take(b, "shard-1");
        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("worker-b");
        assertThat(heartbeats(a).heartbeat(LEASE).claims()).as("the claim handled is removed by the next heartbeat").isEmpty();
        assertThat(heartbeatRow("worker-a").get("Claims").m()).isEmpty();
    }

    @Test
    void aLeaseClaimedOnItsRowBeforeItWasEverSeenIsStillJudgedByItsOwnersHeartbeat() {
        take(a, "shard-1");
        ShardStatus wanted = new ShardStatus("shard-1");
        wanted.setLeaseOwner("worker-a");
        claim(b, wanted);   // never seen: the claim goes on the lease row, whose answer carries the owner's epoch
        clockB.advance(LEASE.plusSeconds(1));   // the row unchanged since, as b last saw it
        heartbeats(a).heartbeat(LEASE);

        assertThat(b.isExpired("shard-1")).as("judged by its owner's heartbeat, not by the row's version").isFalse();
        assertThatThrownBy(() -> take(b, "shard-1")).isInstanceOf(LeaseNotAcquiredException.class);
        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("worker-a");
    }

    @Test
    void aSecondClaimOnTheSameShardIsRefusedWhileTheFirstStands() {
        take(a, "shard-1");
        b.scan();
        ShardStatus wanted = new ShardStatus("shard-1");
        wanted.setLeaseOwner("worker-a");
        claim(b, wanted);
        LeaseStore third = worker("worker-c", new ManualMonotonicClock(), new CheckpointListener() { });
        third.register();
        third.scan();

        assertThatThrownBy(() -> claim(third, wanted)).isInstanceOf(ShardClaimedException.class)
                .hasMessageContaining("worker-b");
    }

    @Test
    void aResetTravelsInTheOwnersHeartbeatAndItsTakeAgainAppliesIt() {
        ShardStatus held = take(a, "shard-1");
        held.setCheckpoint("100");
        checkpoint(a, held);

        b.requestReset("shard-1", StartingPosition.trimHorizon(), "operator");

        assertThat(heartbeats(a).heartbeat(LEASE).resets().values()).containsExactly("shard-1");
        held.setCheckpoint("150");
        assertThatThrownBy(() -> checkpoint(a, held)).isInstanceOf(ShardResetException.class);
        ShardStatus again = take(a, "shard-1");
        assertThat(again.getCheckpoint()).isNull();
        assertThat(again.getStartingPosition()).isEqualTo(StartingPosition.trimHorizon());
        assertThat(heartbeats(a).heartbeat(LEASE).resets()).isEmpty();
    }

    @Test
    void aPerLeaseWorkerIsRefusedOnAWorkerModeTableBeforeItWritesAnything() {
        take(a, "shard-1");
        LeaseStore perLease = Tables.checkpointer(client, table, "worker-p", new ManualMonotonicClock()).build().leaseStore();

        assertThatThrownBy(perLease::register).isInstanceOf(RenewalModeMismatchException.class)
                .hasMessageContaining("worker renewal mode").hasMessageContaining("checkpoint.renewal-mode");
        assertThatThrownBy(perLease::scan).isInstanceOf(RenewalModeMismatchException.class);
        assertThatThrownBy(() -> take(perLease, "shard-1")).isInstanceOf(RenewalModeMismatchException.class);
        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("worker-a");
    }

    /**
     * The other way round: the first worker in worker mode on a table whose per-lease workers still renew is refused
     * before it writes anything (before, it marked the table and took half the shards). A per-lease worker renews
     * between the newcomer's reads here.
     */
    @Test
    void aWorkerModeWorkerIsRefusedBeforeItWritesAnythingWhilePerLeaseWorkersRenew() {
        table = Tables.newTableName();
        ManualMonotonicClock perLeaseClock = new ManualMonotonicClock();
        LeaseStore perLease = Tables.initialised(Tables.checkpointer(client, table, "worker-p", perLeaseClock)).leaseStore();
        ShardStatus held = take(perLease, "shard-1");
        ManualMonotonicClock newcomerClock = new ManualMonotonicClock();
        LeaseStore newcomer = Tables.checkpointer(client, table, "worker-w", newcomerClock).renewalMode(RenewalMode.WORKER)
                .sleeper(pause -> {
                    newcomerClock.advance(pause);
                    renewal(perLease).renew(held.getId(), LEASE);   // the per-lease worker is alive
                }).build().leaseStore();

        assertThatThrownBy(newcomer::register).isInstanceOf(RenewalModeMismatchException.class)
                .hasMessageContaining("worker-p renewed or took the lease on shard shard-1")
                .hasMessageContaining("checkpoint.renewal-mode");
        assertThat(modeRow()).as("the table is not marked").isEmpty();
        assertThat(heartbeatRow("worker-w")).isEmpty();
        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("worker-p");
        perLease.register();   // the per-lease worker goes on
    }

    /** Leases of per-lease workers that stood still for a lease duration are a crashed fleet's: the table may move. */
    @Test
    void aWorkerModeWorkerStartsOnceThePerLeaseLeasesStoodStillForALeaseAndTakesThem() {
        table = Tables.newTableName();
        LeaseStore perLease = Tables.initialised(Tables.checkpointer(client, table, "worker-p", new ManualMonotonicClock()))
                .leaseStore();
        take(perLease, "shard-1");
        ManualMonotonicClock newcomerClock = new ManualMonotonicClock();
        LeaseStore newcomer = Tables.checkpointer(client, table, "worker-w", newcomerClock).renewalMode(RenewalMode.WORKER)
                .sleeper(newcomerClock::advance).build().leaseStore();

        newcomer.register();

        assertThat(modeRow()).isNotEmpty();
        take(newcomer, "shard-1");
        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("worker-w");
    }

    @Test
    void aWorkerThatLeavesRemovesItsHeartbeatRowAndIsCountedGone() {
        take(a, "shard-1");
        a.release("shard-1");
        heartbeats(a).deregister();

        assertThat(heartbeatRow("worker-a")).isEmpty();
        assertThatThrownBy(() -> heartbeats(a).heartbeat(LEASE)).isInstanceOf(WorkerLostException.class);
        assertThat(b.scan()).extracting(Lease::owner).containsOnlyNulls();
    }

    @Test
    void aDeadWorkersHeartbeatRowIsRemovedOnceNoLeaseNamesIt() {
        take(a, "shard-1");
        b.scanForSync();
        clockB.advance(LEASE.plusSeconds(1));
        take(b, "shard-1");   // marks worker-a dead, then takes its lease
        assertThat(heartbeatRow("worker-a").get("WorkerEpoch").s()).startsWith("expired:");

        b.scanForSync();   // a full scan: worker-a is dead and named by no lease

        assertThat(heartbeatRow("worker-a")).isEmpty();
        assertThat(heartbeatRow("worker-b")).isNotEmpty();
        assertThatThrownBy(() -> heartbeats(a).heartbeat(LEASE)).isInstanceOf(WorkerLostException.class);
    }

    @Test
    void aSilentWorkerHoldingNothingHasItsHeartbeatRowRemoved() {
        b.scanForSync();
        clockB.advance(LEASE.plusSeconds(1));
        b.createIfMissing("shard-9", null);
        heartbeats(b).heartbeat(LEASE);   // says b changed a row: its next sync scans in full

        b.scanForSync();

        assertThat(heartbeatRow("worker-a")).isEmpty();
        assertThatThrownBy(() -> heartbeats(a).heartbeat(LEASE)).isInstanceOf(WorkerLostException.class);
        a.register();
        assertThat(heartbeats(a).heartbeat(LEASE)).isEqualTo(Heartbeat.quiet());
    }

    private Map<String, Long> counters() {
        Map<String, Long> counters = new java.util.TreeMap<>();
        for (Lease lease : a.scan()) {
            counters.put(lease.shardId(), lease.leaseCounter());
        }
        return counters;
    }

    private Map<String, AttributeValue> row(String key) {
        return client.getItem(GetItemRequest.builder().tableName(table).consistentRead(true)
                .key(Map.of("ShardID", AttributeValue.fromS(key))).build()).item();
    }

    private Map<String, AttributeValue> heartbeatRow(String workerId) {
        return row("#worker#" + workerId);
    }

    private Map<String, AttributeValue> modeRow() {
        return row("#mode");
    }
}
