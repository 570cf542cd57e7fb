package dev.checkpoint.dynamodb;

import java.time.Duration;

import dev.checkpoint.RenewalMode;

/**
 * Builds one worker's lease store from a checkpointer's settings, in one order without cycles: the table (and the
 * renewals' own client of it, when given), this worker's
 * view of it, the reader, the {@link Ownership} of the renewal mode (the one place the mode is chosen), then the
 * protocol's writes and the store.
 */
final class StoreAssembly {

    private StoreAssembly() {
    }

    static DynamoDbLeaseStore assemble(DynamoDbCheckpointer.Builder settings) {
        String tableName = settings.tableName;
        Duration claimTimeout = settings.claimTimeout != null ? settings.claimTimeout
                : settings.leaseDuration.multipliedBy(3);
        DynamoDbCalls calls = new DynamoDbCalls(tableName, new RetryPolicy(settings.retries, settings.random),
                settings.sleeper, settings.requestTimeout(), settings.monotonicClock, settings.listener,
                DynamoDbCalls.retriesOnItsOwn(settings.dynamoDbClient), settings.renewalClient == null
                        ? ConnectionPoolWatch.Serves.EVERYTHING : ConnectionPoolWatch.Serves.ALL_BUT_RENEWALS);
        LeaseKeys keys = settings.consumerGroup == null ? LeaseKeys.single() : LeaseKeys.shared(settings.consumerGroup);
        TableClient table = new TableClient(settings.dynamoDbClient, calls, tableName, keys, settings.clock);
        // Renewals and heartbeats: through a client of their own when there is one, never waiting for its connections
        // behind checkpoints, syncs and takes.
        TableClient renewals = settings.renewalClient == null ? table : table.throughRenewalClient(settings.renewalClient);
        LeaseTable leaseTable = new LeaseTable(settings.dynamoDbClient, calls, new TableCreationOptions(tableName,
                settings.createTable, settings.billingMode, settings.readCapacity, settings.writeCapacity,
                settings.tableActiveTimeout, settings.tableOptions, keys), settings.sleeper, settings.monotonicClock);
        ScanAndRenewalAges ages = new ScanAndRenewalAges(settings.monotonicClock);
        LeaseObservations observations = new LeaseObservations(settings.monotonicClock, settings.leaseDuration, claimTimeout);
        OwnLeases own = new OwnLeases(observations, settings.workerId, settings.leaseDuration,
                settings.enableLeaseStealing, settings.listener, ages);
        LeaseReader reader;
        Ownership ownership;
        if (settings.renewalMode == RenewalMode.WORKER) {
            WorkerHeartbeats heartbeats = new WorkerHeartbeats(renewals, settings.workerId, settings.leaseDuration,
                    observations);
            observations.judgeOwnersBy(heartbeats);
            reader = new LeaseReader(table, settings.scanPageSize, observations, ages,
                    (rows, sentAt) -> heartbeats.observeAll(rows.beats(), sentAt));
            ownership = new WorkerOwnership(table, own, heartbeats,
                    new SyncReads(table, reader, observations, heartbeats, ages),
                    new PerLeaseWorkersCheck(reader, observations, tableName, settings.leaseDuration, settings.sleeper),
                    reader);
        }
        else {
            reader = new LeaseReader(table, settings.scanPageSize, observations, ages,
                    PerLeaseOwnership.refusingWorkerModeTables(tableName));
            ownership = new PerLeaseOwnership(table, reader, own, new RenewalWrites(renewals, own, reader));
        }
        LeaseProtocol protocol = new LeaseProtocol(table, own, reader, ownership);
        return new DynamoDbLeaseStore(table, own, claimTimeout, settings.monotonicClock, leaseTable, reader, protocol,
                ownership);
    }
}
