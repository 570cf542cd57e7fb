/**
 * Moving a consumer's progress between libraries without reprocessing: {@link dev.checkpoint.kinesis.migration.CheckpointImport}
 * reads the checkpoints another library recorded (the Java KCL's lease table, {@link
 * dev.checkpoint.kinesis.migration.KclLeaseTable}; Spring Cloud AWS's Kinesis binder's metadata store, {@link
 * dev.checkpoint.kinesis.migration.SpringCloudAwsCheckpoints}) and writes them as this library's;
 * {@link dev.checkpoint.kinesis.migration.CheckpointExport} writes this library's into a KCL lease table, for the way
 * back. Each refuses while the other side still runs, and reports what it read and wrote, shard by shard.
 */
@NullMarked
package dev.checkpoint.kinesis.migration;

import org.jspecify.annotations.NullMarked;
