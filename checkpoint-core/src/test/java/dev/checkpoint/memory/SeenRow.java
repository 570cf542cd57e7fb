package dev.checkpoint.memory;

import dev.checkpoint.Lease;

/**
 * What one worker saw of a lease row: the row, since when (its monotonic nanos) it has seen that version and that claim,
 * and the order of that first sight among the worker's reads ({@code sinceRead}), so that a read of a heartbeat row
 * can be told to come after it even on a clock that does not move.
 */
record SeenRow(Lease lease, long sinceNanos, long claimSinceNanos, long sinceRead) {
}
