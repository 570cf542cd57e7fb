/**
 * Auto-configuration of the Kinesis consumer ({@code checkpoint-kinesis}): with a {@code RecordProcessor} bean and
 * {@code checkpoint.kinesis.stream-name}, the stream's shards are shared among the application's instances.
 */
@NullMarked
package dev.checkpoint.autoconfigure.kinesis;

import org.jspecify.annotations.NullMarked;
