/**
 * The lease coordinator: takes, renews, balances, hands off and releases one worker's share of the leases, and
 * tells a {@link dev.checkpoint.coordinator.LeaseListener} which shards to process.
 */
@NullMarked
package dev.checkpoint.coordinator;

import org.jspecify.annotations.NullMarked;
