/**
 * A Kinesis consumer on the lease coordinator: the stream's shards ({@link dev.checkpoint.kinesis.KinesisShardSource}),
 * and a {@link dev.checkpoint.kinesis.KinesisConsumer} that reads each shard this worker holds, from its checkpoint,
 * hands the records to one {@link dev.checkpoint.kinesis.RecordProcessor}, and checkpoints as the
 * {@link dev.checkpoint.kinesis.CheckpointMode} says. Records are polled with {@code GetRecords}, or pushed by enhanced
 * fan-out ({@code SubscribeToShard}), two implementations of the package's {@code RecordSupplier}; the
 * {@code migration} package moves checkpoints from and to the Java KCL and Spring Cloud AWS.
 */
@NullMarked
package dev.checkpoint.kinesis;

import org.jspecify.annotations.NullMarked;
