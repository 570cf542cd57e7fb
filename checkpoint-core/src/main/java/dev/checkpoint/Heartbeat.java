package dev.checkpoint;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a worker learns at its heartbeat, in worker renewal mode: what it would learn at the renewal of each lease in
 * per-lease mode.
 *
 * @param claims the shards other workers claim from this one, each with the claimant: hand them over
 * @param resets the resets an operator wrote on shards this worker holds, each id with its shard: stop each shard, and
 *        take it again to start from the reset, once per reset (the id tells a notice of a reset already applied)
 * @param handedOver the shards stopping workers released for this one: take them at once
 */
public record Heartbeat(Map<String, String> claims, Map<String, String> resets, Set<String> handedOver) {

    public Heartbeat {
        claims = Map.copyOf(Objects.requireNonNull(claims, "claims"));
        resets = Map.copyOf(Objects.requireNonNull(resets, "resets"));
        handedOver = Set.copyOf(Objects.requireNonNull(handedOver, "handedOver"));
    }

    /** Nothing to act on. */
    public static Heartbeat quiet() {
        return new Heartbeat(Map.of(), Map.of(), Set.of());
    }
}
