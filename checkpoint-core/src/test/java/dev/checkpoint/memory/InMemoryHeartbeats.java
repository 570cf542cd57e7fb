package dev.checkpoint.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.Heartbeat;
import dev.checkpoint.KeepAlive;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.PendingReset;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.WorkerLostException;
import dev.checkpoint.memory.InMemoryLeaseTable.HeartbeatRow;
import org.jspecify.annotations.Nullable;

/**
 * Worker renewal mode in memory, with the DynamoDB store's rules ({@code WorkerHeartbeats}, {@code WorkerOwnership}):
 * each process start registers a heartbeat row under a new epoch; a lease row names its owner's epoch and lives while
 * the owner's heartbeat moves, until a lease duration after this worker's last heartbeat was sent (its own), or until
 * the owner's heartbeat has stood still for a lease duration as this worker saw it, or carries another epoch as read
 * after the lease was seen (another's). A silent owner is marked dead, conditioned on the heartbeat seen, before its
 * lease is taken. Claims, resets and hand-overs reach an owner through its heartbeat row's mailboxes; what a heartbeat
 * brought back is removed by the next one.
 */
final class InMemoryHeartbeats implements InMemoryOwnership, KeepAlive.ByHeartbeat {

    private enum Judgement { ALIVE, SILENT, GONE }

    /** Another worker's heartbeat as this worker last read it: since when that version, and which read saw it. */
    private record View(@Nullable HeartbeatRow row, long sinceNanos, long read) {
    }

    private final InMemoryLeaseTable table;
    private final String workerId;
    private final long leaseNanos;
    private final MonotonicClock clock;
    /** The order of this worker's reads, shared with its store. */
    private final LongSupplier nextRead;
    /** Fails a request of a worker cut off from the table, and counts it. */
    private final RequestGate gate;
    private final Map<String, View> views = new ConcurrentHashMap<>();
    /** Shards claimed from this worker through its mailbox, with the claimant, until released to it. */
    private final Map<String, String> handOffs = new ConcurrentHashMap<>();
    private Set<String> handledClaims = new HashSet<>();
    private Set<String> handledResets = new HashSet<>();
    private Set<String> handledHandOvers = new HashSet<>();
    private volatile @Nullable String epoch;
    private volatile long lastBeatSentNanos;

    /** What the store does before each request of a worker: fail it when cut off, and count it. */
    interface RequestGate {
        void enter(CheckpointOperation operation);
    }

    InMemoryHeartbeats(InMemoryLeaseTable table, String workerId, Duration leaseDuration, MonotonicClock clock,
            LongSupplier nextRead, RequestGate gate) {
        this.table = table;
        this.workerId = workerId;
        this.leaseNanos = leaseDuration.toNanos();
        this.clock = clock;
        this.nextRead = nextRead;
        this.gate = gate;
    }

    @Override
    public KeepAlive keepAlive() {
        return this;
    }

    // ------------------------------------------------------------------------------------------- this process's row

    @Override
    public synchronized void register() {
        gate.enter(CheckpointOperation.REGISTER_WORKER);
        String newEpoch = UUID.randomUUID().toString();
        long sentAt = clock.nanoTime();
        table.putHeartbeat(workerId, HeartbeatRow.registered(newEpoch));
        epoch = newEpoch;
        lastBeatSentNanos = sentAt;
        handledClaims = new HashSet<>();
        handledResets = new HashSet<>();
        handledHandOvers = new HashSet<>();
        handOffs.clear();
    }

    @Override
    public synchronized Heartbeat heartbeat(Duration timeLeft) {
        gate.enter(CheckpointOperation.HEARTBEAT);
        String own = epoch;
        if (own == null) {
            throw new WorkerLostException(workerId + " is not registered: it must register before it beats");
        }
        if (timeLeft.isZero() || timeLeft.isNegative()) {
            throw new CheckpointStoreException(null, "the heartbeat of " + workerId + " was not sent before its deadline", null);
        }
        long sentAt = clock.nanoTime();
        Set<String> claimsDone = handledClaims;
        Set<String> resetsDone = handledResets;
        Set<String> handOversDone = handledHandOvers;
        HeartbeatRow[] after = new HeartbeatRow[1];
        boolean beaten = table.updateHeartbeat(workerId, row -> row != null && row.epoch().equals(own),
                row -> after[0] = new HeartbeatRow(own, row.counter() + 1, without(row.claims(), claimsDone),
                        without(row.resets(), resetsDone), without(row.handedOver(), handOversDone)));
        if (!beaten) {
            epoch = null;
            HeartbeatRow now = table.heartbeat(workerId);
            throw new WorkerLostException("the heartbeat of " + workerId + " was refused: " + (now == null
                    ? "its row was deleted" : now.epoch().startsWith(HeartbeatRow.EXPIRED)
                            ? "another worker judged it dead" : "another process registered under the same worker id"));
        }
        HeartbeatRow row = after[0];
        lastBeatSentNanos = sentAt;
        handledClaims = new HashSet<>(row.claims().keySet());
        handledResets = new HashSet<>(row.resets().keySet());
        handledHandOvers = new HashSet<>(row.handedOver());
        handOffs.putAll(row.claims());
        return new Heartbeat(row.claims(), row.resets(), row.handedOver());
    }

    @Override
    public synchronized void deregister() {
        gate.enter(CheckpointOperation.REGISTER_WORKER);
        String own = epoch;
        if (own != null) {
            table.updateHeartbeat(workerId, row -> row != null && row.epoch().equals(own), row -> null);
            epoch = null;
        }
    }

    // ------------------------------------------------------------------------------------------------- judgements

    @Override
    public boolean isExpired(SeenRow seen, long nowNanos) {
        if (!seen.lease().isOwned()) {
            return false;
        }
        if (seen.lease().ownerEpoch() == null) {   // a row no process of this mode wrote: judged by the row
            return nowNanos - seen.sinceNanos() > leaseNanos;
        }
        return judge(seen, nowNanos) != Judgement.ALIVE;
    }

    @Override
    public @Nullable Duration unchangedFor(SeenRow seen, long nowNanos) {
        if (seen.lease().ownerEpoch() == null || seen.lease().owner() == null) {
            return Duration.ofNanos(nowNanos - seen.sinceNanos());
        }
        View view = views.get(seen.lease().owner());
        return view == null ? null : Duration.ofNanos(nowNanos - view.sinceNanos());
    }

    private Judgement judge(SeenRow seen, long nowNanos) {
        String owner = seen.lease().owner();
        String leaseEpoch = seen.lease().ownerEpoch();
        if (workerId.equals(owner)) {
            String own = epoch;
            if (own != null && own.equals(leaseEpoch)) {
                return nowNanos - (lastBeatSentNanos + leaseNanos) > 0 ? Judgement.SILENT : Judgement.ALIVE;
            }
            return Judgement.GONE;   // an earlier process of this worker, or this one before it was judged dead
        }
        View view = views.computeIfAbsent(owner, id -> new View(null, nowNanos, Long.MIN_VALUE));
        if (view.row() != null && !view.row().epoch().equals(leaseEpoch)) {
            // another epoch: gone, if read after the lease was seen (else the lease may be the newer of the two)
            return view.read() > seen.sinceRead() ? Judgement.GONE : Judgement.ALIVE;
        }
        return nowNanos - view.sinceNanos() > leaseNanos ? Judgement.SILENT : Judgement.ALIVE;
    }

    /** Records the worker's heartbeat row as read now ({@code null}: it has none). */
    private void observe(String worker, @Nullable HeartbeatRow row) {
        long now = clock.nanoTime();
        long read = nextRead.getAsLong();
        views.compute(worker, (id, previous) -> {
            boolean same = previous != null && (previous.row() == null ? row == null : previous.row().isSameVersion(row));
            return new View(row, same ? previous.sinceNanos() : now, read);
        });
    }

    @Override
    public void scanned() {
        Map<String, HeartbeatRow> rows = table.heartbeats();
        rows.forEach(this::observe);
        for (String worker : Set.copyOf(views.keySet())) {
            if (!rows.containsKey(worker)) {
                observe(worker, null);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------ takes

    @Override
    public synchronized void beforeTake(String shardId, @Nullable SeenRow seen) {
        if (epoch == null) {
            throw new LeaseNotAcquiredException(shardId, workerId + " is not registered: it takes no lease");
        }
        if (seen == null || seen.lease().owner() == null || seen.lease().ownerEpoch() == null
                || workerId.equals(seen.lease().owner())) {
            return;
        }
        String owner = seen.lease().owner();
        Judgement judgement = judge(seen, clock.nanoTime());
        if (judgement == Judgement.GONE) {
            return;
        }
        if (judgement == Judgement.ALIVE) {
            throw alive(seen);
        }
        HeartbeatRow heard = views.get(owner).row();
        gate.enter(CheckpointOperation.EXPIRE_WORKER);
        boolean marked = table.updateHeartbeat(owner,
                row -> heard == null ? row == null : heard.isSameVersion(row),
                row -> new HeartbeatRow(HeartbeatRow.EXPIRED + (heard == null ? "none" : heard.epoch()),
                        heard == null ? 0 : heard.counter(), Map.of(), Map.of(), Set.of()));
        if (marked) {
            long now = clock.nanoTime();
            views.put(owner, new View(table.heartbeat(owner), now, nextRead.getAsLong()));
            return;
        }
        observe(owner, table.heartbeat(owner));
        if (judge(seen, clock.nanoTime()) != Judgement.GONE) {
            throw alive(seen);
        }
    }

    private static LeaseNotAcquiredException alive(SeenRow seen) {
        return new LeaseNotAcquiredException(seen.lease().shardId(), "lease on shard " + seen.lease().shardId()
                + " is held by " + seen.lease().owner() + ", whose heartbeat is alive");
    }

    @Override
    public @Nullable Instant takeTimeout() {
        return null;
    }

    @Override
    public @Nullable String takeEpoch() {
        return epoch;
    }

    @Override
    public void taken(String shardId) {
        handOffs.remove(shardId);
    }

    // ------------------------------------------------------------------------------ releases, claims and mailboxes

    /** Only this process's own lease, as it holds it: the name alone may be a restarted process's. */
    @Override
    public void checkRelease(String shardId, @Nullable SeenRow seen, boolean knownOwn) {
        String own = epoch;
        if (!knownOwn || own == null || !own.equals(seen.lease().ownerEpoch())) {
            throw new LeaseLostException(shardId, workerId + " (process " + own + ") does not hold the lease on shard "
                    + shardId);
        }
    }

    @Override
    public @Nullable String handOffTo(String shardId) {
        return handOffs.remove(shardId);
    }

    @Override
    public boolean claimFromOwner(@Nullable SeenRow seen, String expectedOwner, String claimant) {
        if (seen == null || seen.lease().ownerEpoch() == null || !Objects.equals(expectedOwner, seen.lease().owner())) {
            return false;
        }
        String shardId = seen.lease().shardId();
        String owner = seen.lease().owner();
        String ownerEpoch = seen.lease().ownerEpoch();
        boolean claimed = table.updateHeartbeat(owner,
                row -> row != null && row.epoch().equals(ownerEpoch) && !row.claims().containsKey(shardId),
                row -> new HeartbeatRow(row.epoch(), row.counter(), with(row.claims(), shardId, claimant), row.resets(),
                        row.handedOver()));
        if (!claimed) {
            HeartbeatRow row = table.heartbeat(owner);
            String standing = row == null ? null : row.claims().get(shardId);
            if (standing == null) {
                throw new LeaseNotAcquiredException(shardId, "cannot claim shard " + shardId + " from " + owner
                        + ": its process " + ownerEpoch + " is gone");
            }
            if (!claimant.equals(standing)) {
                throw new ShardClaimedException(shardId, standing);
            }
        }
        return true;
    }

    @Override
    public void withdrawClaimFromOwner(String shardId, String owner, String claimant) {
        table.updateHeartbeat(owner, row -> row != null && claimant.equals(row.claims().get(shardId)),
                row -> new HeartbeatRow(row.epoch(), row.counter(), without(row.claims(), Set.of(shardId)), row.resets(),
                        row.handedOver()));
    }

    /** In the successor's heartbeat mailbox, which its next heartbeat brings back. */
    @Override
    public void handOver(String shardId, String successor, String successorsLease) {
        table.updateHeartbeat(successor, row -> row != null, row -> {
            Set<String> handedOver = new HashSet<>(row.handedOver());
            handedOver.add(shardId);
            return new HeartbeatRow(row.epoch(), row.counter(), row.claims(), row.resets(), handedOver);
        });
    }

    /** A notice in the owner's mailbox, for its process that holds the lease. */
    @Override
    public void resetWritten(Lease row, PendingReset reset) {
        if (row.owner() == null || row.ownerEpoch() == null) {
            return;
        }
        table.updateHeartbeat(row.owner(), heartbeat -> heartbeat != null && heartbeat.epoch().equals(row.ownerEpoch()),
                heartbeat -> new HeartbeatRow(heartbeat.epoch(), heartbeat.counter(), heartbeat.claims(),
                        with(heartbeat.resets(), reset.id(), row.shardId()), heartbeat.handedOver()));
    }

    private static Map<String, String> with(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, String> without(Map<String, String> map, Set<String> keys) {
        Map<String, String> copy = new HashMap<>(map);
        copy.keySet().removeAll(keys);
        return copy;
    }

    private static Set<String> without(Set<String> set, Set<String> removed) {
        Set<String> copy = new HashSet<>(set);
        copy.removeAll(removed);
        return copy;
    }
}
