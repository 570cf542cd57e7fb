package dev.checkpoint.coordinator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A listener that "processes" its shards by checkpointing an increasing number, and records every callback with
 * the time it arrived. It checkpoints once more when a lease ends. Its callbacks can be made to block.
 */
final class RecordingListener implements LeaseListener {

    record Event(String kind, String worker, String shardId, long nanos, String checkpoint) {
    }

    static final List<Event> ALL = new CopyOnWriteArrayList<>();
    private static final AtomicLong SEQUENCE = new AtomicLong(1000);

    final String worker;
    final List<Event> events = new CopyOnWriteArrayList<>();
    final Map<String, OwnedShard> processing = new ConcurrentHashMap<>();
    volatile Duration blockOnGained = Duration.ZERO;
    volatile Duration blockOnEnding = Duration.ZERO;

    RecordingListener(String worker) {
        this.worker = worker;
    }

    @Override
    public void leaseGained(OwnedShard shard) {
        record("gained", shard, shard.checkpoint());
        processing.put(shard.shardId(), shard);
        checkpoint(shard);
        sleep(blockOnGained);
    }

    @Override
    public void leaseEnding(OwnedShard shard, EndReason reason) {
        sleep(blockOnEnding);
        String written = checkpoint(shard);
        record("ending-" + reason.name().toLowerCase(), shard, written);
        processing.remove(shard.shardId());
    }

    @Override
    public void leaseLost(OwnedShard shard) {
        record("lost", shard, null);
        processing.remove(shard.shardId());
    }

    /** Checkpoints the next number; returns it, or null when refused. */
    String checkpoint(OwnedShard shard) {
        String next = Long.toString(SEQUENCE.incrementAndGet());
        try {
            shard.checkpoint(next);
            return next;
        }
        catch (RuntimeException refused) {
            return null;
        }
    }

    List<Event> events(String kind) {
        return events.stream().filter(event -> event.kind().equals(kind)).toList();
    }

    Set<String> shards(String kind) {
        return events.stream().filter(event -> event.kind().equals(kind)).map(Event::shardId)
                .collect(java.util.stream.Collectors.toSet());
    }

    private void record(String kind, OwnedShard shard, String checkpoint) {
        Event event = new Event(kind, worker, shard.shardId(), System.nanoTime(), checkpoint);
        events.add(event);
        ALL.add(event);
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
