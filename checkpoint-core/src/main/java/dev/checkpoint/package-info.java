/**
 * The checkpointer API: {@link dev.checkpoint.Checkpointer}, the {@link dev.checkpoint.LeaseStore} contract the
 * coordinator is built on, the lease model and the exceptions. Nothing here is {@code null} unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.checkpoint;

import org.jspecify.annotations.NullMarked;
