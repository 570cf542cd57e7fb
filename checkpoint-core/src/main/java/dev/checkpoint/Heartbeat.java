package dev.checkpoint;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a worker learns at its heartbeat, in worker renewal mode: what it would learn at the renewal of each lease in
 * per-lease mode.
 *
 * @param claims the shards other workers claim from this one, each with the claimant: hand them over
 * @param resets the shards an operator reset: stop them, and take them again to start from the reset
 */
public record Heartbeat(Map<String, String> claims, Set<String> resets) {

    public Heartbeat {
        claims = Map.copyOf(Objects.requireNonNull(claims, "claims"));
        resets = Set.copyOf(Objects.requireNonNull(resets, "resets"));
    }

    /** Nothing to act on. */
    public static Heartbeat quiet() {
        return new Heartbeat(Map.of(), Set.of());
    }
}
