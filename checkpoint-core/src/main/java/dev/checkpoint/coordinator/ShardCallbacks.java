package dev.checkpoint.coordinator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the listener's callbacks on threads of their own, in order for each shard, so that a slow listener never
 * holds up renewals, nor the callbacks of other shards.
 */
final class ShardCallbacks {

    private static final Logger log = LoggerFactory.getLogger(ShardCallbacks.class);

    private final ExecutorService threads;
    private final ConcurrentMap<String, CompletableFuture<Void>> lastByShard = new ConcurrentHashMap<>();

    ShardCallbacks(ExecutorService threads) {
        this.threads = threads;
    }

    /**
     * Runs {@code callback} after the shard's earlier callbacks, whether they failed or not; the future completes
     * when it has run, exceptionally when it threw.
     */
    CompletableFuture<Void> submit(String shardId, String what, Runnable callback) {
        CompletableFuture<Void> last = lastByShard.compute(shardId, (id, previous) -> {
            CompletableFuture<Void> after = previous == null ? CompletableFuture.completedFuture(null) : previous;
            return after.handle((ignored, failure) -> null).thenRunAsync(() -> {
                try {
                    callback.run();
                }
                catch (RuntimeException failure) {
                    log.warn("Lease listener failed in {} of shard {}", what, shardId, failure);
                    throw failure;
                }
            }, threads);
        });
        // Forgotten once it has run and nothing came after it: the map does not grow with shards long gone.
        last.whenComplete((done, failure) -> lastByShard.remove(shardId, last));
        return last;
    }

    void shutdown() {
        threads.shutdownNow();
    }
}
