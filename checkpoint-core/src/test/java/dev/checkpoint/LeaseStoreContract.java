package dev.checkpoint;

import static dev.checkpoint.StoreCalls.checkpoint;
import static dev.checkpoint.StoreCalls.claim;
import static dev.checkpoint.StoreCalls.take;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * The {@link LeaseStore} contract, as one suite that every store must pass, in every renewal mode it offers: the DynamoDB
 * one against dynalite in per-lease and in worker mode, and the in-memory one the coordinator's fast tests run on.
 * Workers of one test share one table; each has its own manual monotonic clock, so that expiry is judged by each
 * worker's own observation, as it must be. Keeping a lease alive is written once for both modes ({@link #keepAlive}):
 * a renewal of the lease, or a heartbeat of its worker.
 */
public abstract class LeaseStoreContract {

    protected static final Duration LEASE = Duration.ofSeconds(10);

    /** A worker with lease stealing on, on this test's table, judging time by {@code clock}. */
    protected abstract LeaseStore worker(String workerId, Clock clock);

    /** What the owner of a lease hears when it next keeps its leases alive. */
    protected enum Heard {
        KEPT, LOST, CLAIMED, RESET
    }

    /**
     * Keeps {@code owner}'s lease on {@code shardId} alive within {@code timeLeft} the way its mode does, and says what
     * the owner heard: per lease, the renewal's answer; in worker mode, the heartbeat's (claims and resets come back in
     * it), then the row as the owner's next sync reads it (a lease lost is learnt there).
     */
    protected static Heard keepAlive(LeaseStore owner, String shardId, Duration timeLeft) {
        KeepAlive keepAlive = owner.keepAlive();
        if (keepAlive instanceof KeepAlive.ByRenewal renewal) {
            try {
                renewal.renew(shardId, timeLeft);
                return Heard.KEPT;
            }
            catch (ShardClaimedException claimed) {
                return Heard.CLAIMED;
            }
            catch (ShardResetException reset) {
                return Heard.RESET;
            }
            catch (LeaseNotAcquiredException | LeaseLostException lost) {
                return Heard.LOST;
            }
        }
        Heartbeat heard;
        try {
            heard = ((KeepAlive.ByHeartbeat) keepAlive).heartbeat(timeLeft);
        }
        catch (WorkerLostException judgedDead) {
            return Heard.LOST;   // every lease of the worker is lost with it
        }
        if (heard.claims().containsKey(shardId)) {
            return Heard.CLAIMED;
        }
        if (heard.resets().containsValue(shardId)) {
            return Heard.RESET;
        }
        owner.scanForSync();
        return owner.status().heldLeases().contains(shardId) ? Heard.KEPT : Heard.LOST;
    }

    /** A monotonic clock that moves only when the test advances it. */
    public static final class Clock implements MonotonicClock {

        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        public void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }
    }

    private final Clock clockA = new Clock();
    private final Clock clockB = new Clock();

    @Test
    void aNewShardIsTakenAndHeld() {
        LeaseStore a = worker("worker-a", clockA);
        a.createIfMissing("shard-1", "shard-0");
        ShardStatus shard = new ShardStatus("shard-1");

        take(a, shard);

        assertThat(shard.getLeaseOwner()).isEqualTo("worker-a");
        assertThat(a.find("shard-1").owner()).isEqualTo("worker-a");
        assertThat(a.find("shard-1").parentShardId()).isEqualTo("shard-0");
        assertThat(a.status().heldLeases()).containsExactly("shard-1");
    }

    @Test
    void anImportedCheckpointIsWhereTheFirstTakerStarts() {
        LeaseStore a = worker("worker-a", clockA);
        a.createIfMissing("shard-2", "shard-1");

        assertThat(a.importCheckpoint(ImportedCheckpoint.after("shard-2", "42", 3L, "shard-1"), null)).isTrue();
        assertThat(a.importCheckpoint(ImportedCheckpoint.finished("shard-1", null), null)).isTrue();
        ShardStatus taken = new ShardStatus("shard-2");
        take(a, taken);

        assertThat(taken.getCheckpoint()).isEqualTo("42");
        assertThat(a.find("shard-2").checkpointSubSequenceNumber()).isEqualTo(3L);
        assertThat(a.find("shard-2").parentShardId()).isEqualTo("shard-1");
        assertThat(a.find("shard-1").isFinished()).isTrue();
        assertThat(a.find("shard-1").isOwned()).isFalse();
    }

    @Test
    void anImportNeverOverwritesProgressUnlessReplacingTheRowAsRead() {
        LeaseStore a = worker("worker-a", clockA);
        ShardStatus held = new ShardStatus("shard-1");
        take(a, held);
        held.setCheckpoint("7");
        checkpoint(a, held);
        Lease asRead = a.find("shard-1");

        assertThat(a.importCheckpoint(ImportedCheckpoint.after("shard-1", "42", null, null), null)).isFalse();
        assertThat(a.find("shard-1").checkpoint()).isEqualTo("7");

        assertThat(keepAlive(a, "shard-1", LEASE)).isEqualTo(Heard.KEPT);   // a worker moved on since it was read
        if (a.keepAlive() instanceof KeepAlive.ByRenewal) {
            assertThat(a.importCheckpoint(ImportedCheckpoint.after("shard-1", "42", null, null), asRead)).isFalse();
            asRead = a.find("shard-1");
        }
        assertThat(a.importCheckpoint(ImportedCheckpoint.after("shard-1", "42", null, null), asRead)).isTrue();

        assertThat(a.find("shard-1").checkpoint()).isEqualTo("42");
        assertThat(a.find("shard-1").isOwned()).isFalse();
        held.setCheckpoint("8");
        assertThatThrownBy(() -> checkpoint(a, held)).as("the owner before the import is fenced out")
                .isInstanceOf(LeaseLostException.class);
    }

    @Test
    void anUnexpiredLeaseIsRefusedToAnotherWorker() {
        LeaseStore a = worker("worker-a", clockA);
        LeaseStore b = worker("worker-b", clockB);
        take(a, new ShardStatus("shard-1"));
        b.scanForSync();
        clockB.advance(LEASE.minusSeconds(1));

        assertThatThrownBy(() -> take(b, new ShardStatus("shard-1"))).isInstanceOf(LeaseNotAcquiredException.class);
        assertThat(b.isExpired("shard-1")).isFalse();
    }

    @Test
    void anExpiredLeaseIsTakenOverWithItsCheckpointAndFencesTheOldOwner() {
        LeaseStore a = worker("worker-a", clockA);
        LeaseStore b = worker("worker-b", clockB);
        ShardStatus held = new ShardStatus("shard-1");
        take(a, held);
        held.setCheckpoint("7");
        checkpoint(a, held);
        b.scanForSync();
        clockB.advance(LEASE.plusSeconds(1));
        assertThat(b.isExpired("shard-1")).isTrue();

        ShardStatus taken = new ShardStatus("shard-1");
        take(b, taken);

        assertThat(taken.getCheckpoint()).isEqualTo("7");
        assertThat(keepAlive(a, "shard-1", LEASE)).isEqualTo(Heard.LOST);
        held.setCheckpoint("8");
        assertThatThrownBy(() -> checkpoint(a, held)).isInstanceOf(LeaseLostException.class);
        assertThat(b.find("shard-1").checkpoint()).isEqualTo("7");
        assertThatThrownBy(() -> a.release("shard-1")).isInstanceOf(LeaseLostException.class);
        assertThat(b.find("shard-1").owner()).isEqualTo("worker-b");
    }

    @Test
    void keepingALeaseAliveKeepsItForOthers() {
        LeaseStore a = worker("worker-a", clockA);
        LeaseStore b = worker("worker-b", clockB);
        ShardStatus held = new ShardStatus("shard-1");
        take(a, held);
        b.scanForSync();
        clockB.advance(LEASE.minusSeconds(2));
        assertThat(keepAlive(a, "shard-1", LEASE)).isEqualTo(Heard.KEPT);
        b.scanForSync();
        clockB.advance(Duration.ofSeconds(5));

        assertThat(b.isExpired("shard-1")).isFalse();
        assertThat(b.unchangedFor("shard-1")).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> take(b, new ShardStatus("shard-1"))).isInstanceOf(LeaseNotAcquiredException.class);
    }

    @Test
    void keepingAliveNeverTakesBackAReleasedLease() {
        LeaseStore a = worker("worker-a", clockA);
        ShardStatus held = new ShardStatus("shard-1");
        take(a, held);
        a.release("shard-1");

        assertThat(keepAlive(a, "shard-1", LEASE)).isEqualTo(Heard.LOST);
        assertThat(a.find("shard-1").isOwned()).isFalse();
    }

    @Test
    void keepingAliveWithNoTimeLeftSendsNothingAndFails() {
        LeaseStore a = worker("worker-a", clockA);
        ShardStatus held = new ShardStatus("shard-1");
        take(a, held);
        long counter = a.find("shard-1").leaseCounter();

        assertThatThrownBy(() -> keepAlive(a, "shard-1", Duration.ZERO)).isInstanceOf(CheckpointStoreException.class);
        assertThat(a.find("shard-1").leaseCounter()).isEqualTo(counter);
    }

    @Test
    void aReleasedLeaseIsTakenAtOnceByAnother() {
        LeaseStore a = worker("worker-a", clockA);
        LeaseStore b = worker("worker-b", clockB);
        take(a, new ShardStatus("shard-1"));
        b.scanForSync();
        a.release("shard-1");

        ShardStatus taken = new ShardStatus("shard-1");
        take(b, taken);

        assertThat(taken.getLeaseOwner()).isEqualTo("worker-b");
    }

    @Test
    void aClaimIsHeardByTheOwnerAndLetsOnlyTheClaimantTakeAtOnce() {
        LeaseStore a = worker("worker-a", clockA);
        LeaseStore b = worker("worker-b", clockB);
        LeaseStore c = worker("worker-c", new Clock());
        ShardStatus held = new ShardStatus("shard-1");
        take(a, held);
        ShardStatus wanted = new ShardStatus("shard-1");
        wanted.setLeaseOwner("worker-a");
        b.scanForSync();   // a claimant claims what its sync saw

        claim(b, wanted);

        assertThat(b.find("shard-1").owner()).isEqualTo("worker-a");
        assertThat(keepAlive(a, "shard-1", LEASE)).isEqualTo(Heard.CLAIMED);
        held.setCheckpoint("41");
        checkpoint(a, held);
        a.release("shard-1");
        c.scanForSync();
        assertThatThrownBy(() -> take(c, new ShardStatus("shard-1"))).isInstanceOf(ShardClaimedException.class);
        ShardStatus taken = new ShardStatus("shard-1");
        take(b, taken);
        assertThat(taken.getCheckpoint()).isEqualTo("41");
        assertThat(b.find("shard-1").claimRequest()).isNull();
    }

    @Test
    void aSecondClaimIsRefusedWhileTheFirstStands() {
        LeaseStore a = worker("worker-a", clockA);
        LeaseStore b = worker("worker-b", clockB);
        LeaseStore c = worker("worker-c", new Clock());
        take(a, new ShardStatus("shard-1"));
        ShardStatus wanted = new ShardStatus("shard-1");
        wanted.setLeaseOwner("worker-a");
        claim(b, wanted);
        ShardStatus alsoWanted = new ShardStatus("shard-1");
        alsoWanted.setLeaseOwner("worker-a");

        assertThatThrownBy(() -> claim(c, alsoWanted)).isInstanceOf(ShardClaimedException.class);
    }

    /** worker-b claims worker-a's lease, worker-a hands it over, and worker-c, on {@code clockC}, reads the row. */
    private LeaseStore aThirdWorkerSeeingALeaseReleasedToItsClaimant(Clock clockC) {
        LeaseStore a = worker("worker-a", clockA);
        LeaseStore b = worker("worker-b", clockB);
        LeaseStore c = worker("worker-c", clockC);
        take(a, new ShardStatus("shard-1"));
        ShardStatus wanted = new ShardStatus("shard-1");
        wanted.setLeaseOwner("worker-a");
        claim(b, wanted);
        a.release("shard-1");
        c.scanForSync();
        return c;
    }

    /** A free lease whose claimant has not taken it within a lease duration: a dead claimant's, passed by anybody. */
    @Test
    void aClaimOnALeaseFreeForALeaseDurationIsPassedByOthers() {
        Clock clockC = new Clock();
        LeaseStore c = aThirdWorkerSeeingALeaseReleasedToItsClaimant(clockC);
        clockC.advance(LEASE.minusSeconds(1));
        assertThatThrownBy(() -> take(c, new ShardStatus("shard-1"))).as("within a lease duration")
                .isInstanceOf(ShardClaimedException.class);
        clockC.advance(Duration.ofSeconds(2));

        ShardStatus taken = new ShardStatus("shard-1");
        take(c, taken);

        assertThat(taken.getLeaseOwner()).isEqualTo("worker-c");
        assertThat(c.find("shard-1").claimRequest()).isNull();
    }

    @Test
    void aClaimNotTakenWithinTheClaimTimeoutIsPassedByOthers() {
        Clock clockC = new Clock();
        LeaseStore c = aThirdWorkerSeeingALeaseReleasedToItsClaimant(clockC);
        clockC.advance(c.claimTimeout().plusSeconds(1));

        ShardStatus taken = new ShardStatus("shard-1");
        take(c, taken);

        assertThat(taken.getLeaseOwner()).isEqualTo("worker-c");
        assertThat(c.find("shard-1").claimRequest()).isNull();
    }

    @Test
    void aClaimOfAnOwnerThatChangedIsRefused() {
        LeaseStore a = worker("worker-a", clockA);
        LeaseStore b = worker("worker-b", clockB);
        take(a, new ShardStatus("shard-1"));
        ShardStatus wanted = new ShardStatus("shard-1");
        wanted.setLeaseOwner("worker-z");

        assertThatThrownBy(() -> claim(b, wanted)).isInstanceOf(LeaseNotAcquiredException.class);
        assertThat(b.find("shard-1").claimRequest()).isNull();
    }

    @Test
    void createIfMissingLeavesAnExistingRowAndRemoveDeletesIt() {
        LeaseStore a = worker("worker-a", clockA);
        ShardStatus held = new ShardStatus("shard-1");
        take(a, held);

        a.createIfMissing("shard-1", null);
        assertThat(a.find("shard-1").owner()).isEqualTo("worker-a");

        a.remove("shard-1");
        assertThat(a.find("shard-1")).isNull();
        assertThat(a.scan()).isEmpty();
    }

    @Test
    void aWorkerTakesBackARowThatStillNamesIt() {
        LeaseStore a = worker("worker-a", clockA);
        take(a, new ShardStatus("shard-1"));
        clockA.advance(LEASE.plusSeconds(1));
        assertThat(a.status().heldLeases()).isEmpty();

        ShardStatus again = new ShardStatus("shard-1");
        take(a, again);

        assertThat(again.getLeaseOwner()).isEqualTo("worker-a");
        assertThat(keepAlive(a, "shard-1", LEASE)).isEqualTo(Heard.KEPT);
        assertThat(a.status().heldLeases()).containsExactly("shard-1");
    }

    @Test
    void checkpointsAreReadBackByTheNextOwnerAndAStaleCheckpointIsRefused() {
        LeaseStore a = worker("worker-a", clockA);
        ShardStatus held = new ShardStatus("shard-1");
        take(a, held);
        for (int i = 1; i <= 3; i++) {
            held.setCheckpoint(Integer.toString(i));
            checkpoint(a, held);
        }
        a.release("shard-1");

        LeaseStore b = worker("worker-b", clockB);
        ShardStatus next = new ShardStatus("shard-1");
        take(b, next);

        assertThat(next.getCheckpoint()).isEqualTo("3");
        held.setCheckpoint("4");
        assertThatThrownBy(() -> checkpoint(a, held)).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void aCheckpointInsideAnAggregateKeepsItsSubSequenceThroughRenewalsAndTakesUntilAWholeRecordOne() {
        LeaseStore a = worker("worker-a", clockA);
        ShardStatus held = new ShardStatus("shard-1");
        take(a, held);
        held.setCheckpoint("200");
        held.setCheckpointSubSequenceNumber(4L);
        checkpoint(a, held);
        assertThat(keepAlive(a, "shard-1", LEASE)).isEqualTo(Heard.KEPT);
        assertThat(a.find("shard-1").checkpointSubSequenceNumber()).isEqualTo(4L);
        a.release("shard-1");

        LeaseStore b = worker("worker-b", clockB);
        ShardStatus next = new ShardStatus("shard-1");
        take(b, next);
        assertThat(next.getCheckpoint()).isEqualTo("200");
        assertThat(next.getCheckpointSubSequenceNumber()).isEqualTo(4L);

        next.setCheckpoint("300");
        next.setCheckpointSubSequenceNumber(null);
        checkpoint(b, next);
        assertThat(b.find("shard-1").checkpoint()).isEqualTo("300");
        assertThat(b.find("shard-1").checkpointSubSequenceNumber()).isNull();
    }

    // -------------------------------------------------------------------------------------------------------- resets

    @Test
    void aResetIsHeardByTheOwnerAndFailsItsCheckpointsAndItsTakeAgainAppliesIt() {
        LeaseStore a = worker("worker-a", clockA);
        LeaseStore operator = worker("operator", new Clock());
        ShardStatus held = takeAtCheckpoint7(a);

        ResetReceipt receipt = operator.requestReset("shard-1", StartingPosition.atSequenceNumber("3"), "alice");

        assertThat(receipt.fromCheckpoint()).isEqualTo("7");
        assertThat(receipt.owner()).isEqualTo("worker-a");
        assertThat(receipt.reset().requestedBy()).isEqualTo("alice");
        assertThat(a.find("shard-1").pendingReset()).isEqualTo(receipt.reset());
        ShardStatus late = new ShardStatus("shard-1");
        late.setCheckpoint("9");
        assertThatThrownBy(() -> checkpoint(a, late)).isInstanceOf(ShardResetException.class);
        assertThat(keepAlive(a, "shard-1", LEASE)).isEqualTo(Heard.RESET);
        assertThat(a.find("shard-1").checkpoint()).isEqualTo("7");

        ShardStatus again = new ShardStatus("shard-1");
        take(a, again);

        Lease applied = a.find("shard-1");
        assertThat(applied.owner()).isEqualTo("worker-a");
        assertThat(applied.checkpoint()).isNull();
        assertThat(applied.pendingReset()).isNull();
        assertThat(applied.startingPosition()).isEqualTo(StartingPosition.atSequenceNumber("3"));
        assertThat(again.getStartingPosition()).isEqualTo(StartingPosition.atSequenceNumber("3"));
        again.setCheckpoint("4");
        checkpoint(a, again);
        assertThat(a.find("shard-1").checkpoint()).isEqualTo("4");
        assertThat(a.find("shard-1").startingPosition()).isNull();
        assertThat(keepAlive(a, "shard-1", LEASE)).isEqualTo(Heard.KEPT);
    }

    @Test
    void aResetOfAFreeLeaseIsAppliedByItsNextTaker() {
        LeaseStore a = worker("worker-a", clockA);
        LeaseStore b = worker("worker-b", clockB);
        ShardStatus held = takeAtCheckpoint7(a);
        a.release("shard-1");

        a.requestReset("shard-1", StartingPosition.trimHorizon(), "alice");
        ShardStatus taken = new ShardStatus("shard-1");
        take(b, taken);

        assertThat(taken.getCheckpoint()).isNull();
        assertThat(taken.getStartingPosition()).isEqualTo(StartingPosition.trimHorizon());
        assertThat(b.find("shard-1").pendingReset()).isNull();
    }

    @Test
    void aResetOfADeadOwnersLeaseIsAppliedByTheTakeoverAndTheDeadOwnersLateCheckpointIsRefused() {
        LeaseStore a = worker("worker-a", clockA);
        LeaseStore b = worker("worker-b", clockB);
        ShardStatus held = takeAtCheckpoint7(a);
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        b.requestReset("shard-1", StartingPosition.atTimestamp(at), "alice");
        b.scanForSync();
        clockB.advance(LEASE.plusSeconds(1));

        ShardStatus taken = new ShardStatus("shard-1");
        take(b, taken);
        ShardStatus late = new ShardStatus("shard-1");
        late.setCheckpoint("8");

        assertThat(taken.getStartingPosition()).isEqualTo(StartingPosition.atTimestamp(at));
        assertThatThrownBy(() -> checkpoint(a, late)).isInstanceOf(LeaseLostException.class);
        assertThat(b.find("shard-1").checkpoint()).isNull();
    }

    @Test
    void aResetWrittenAfterTheTakerSawTheRowIsAppliedByItsTakeAllTheSame() {
        LeaseStore a = worker("worker-a", clockA);
        LeaseStore b = worker("worker-b", clockB);
        ShardStatus held = takeAtCheckpoint7(a);
        a.release("shard-1");
        b.scanForSync();

        a.requestReset("shard-1", StartingPosition.latest(), "alice");
        ShardStatus taken = new ShardStatus("shard-1");
        take(b, taken);

        Lease row = b.find("shard-1");
        assertThat(row.owner()).isEqualTo("worker-b");
        assertThat(row.pendingReset()).isNull();
        assertThat(row.checkpoint()).isNull();
        assertThat(row.startingPosition()).isEqualTo(StartingPosition.latest());
        assertThat(taken.getStartingPosition()).isEqualTo(StartingPosition.latest());
    }

    @Test
    void aNewerResetReplacesAPendingOneAndAResetOfNoRowWritesNothing() {
        LeaseStore a = worker("worker-a", clockA);
        a.createIfMissing("shard-1", null);
        ResetReceipt first = a.requestReset("shard-1", StartingPosition.trimHorizon(), "alice");

        ResetReceipt second = a.requestReset("shard-1", StartingPosition.latest(), "bob");

        assertThat(second.replaced()).isEqualTo(first.reset());
        assertThat(a.find("shard-1").pendingReset()).isEqualTo(second.reset());
        assertThat(a.requestReset("shard-9", StartingPosition.latest(), "bob")).isNull();
        assertThat(a.find("shard-9")).isNull();
    }

    /** Takes shard-1 for {@code worker} and checkpoints 7. */
    private static ShardStatus takeAtCheckpoint7(LeaseStore worker) {
        ShardStatus held = new ShardStatus("shard-1");
        take(worker, held);
        held.setCheckpoint("7");
        checkpoint(worker, held);
        return held;
    }
}
