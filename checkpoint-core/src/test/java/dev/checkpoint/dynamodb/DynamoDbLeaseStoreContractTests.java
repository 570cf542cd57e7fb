package dev.checkpoint.dynamodb;

import dev.checkpoint.LeaseStore;
import dev.checkpoint.LeaseStoreContract;
import dev.checkpoint.RenewalMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB store, against the test server (dynalite by default), held to the lease store contract in per-lease
 * renewal mode; {@link WorkerModeLeaseStoreContractTests} holds it to the same in worker mode.
 */
class DynamoDbLeaseStoreContractTests extends LeaseStoreContract {

    private final DynamoDbClient client = Tables.client();
    private final String table = Tables.newTableName();
    private boolean created;

    /** The renewal mode the workers of this suite run in. */
    RenewalMode mode() {
        return RenewalMode.LEASE;
    }

    @Override
    protected LeaseStore worker(String workerId, Clock clock) {
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName(table)
                .workerId(workerId).leaseDuration(LEASE).enableLeaseStealing(true).monotonicClock(clock)
                .renewalMode(mode()).sleeper(duration -> { }).build();
        if (!created) {
            checkpointer.init();
            created = true;
        }
        LeaseStore store = checkpointer.leaseStore();
        store.register();   // per lease: checks the table's mode; in worker mode: the heartbeat row, before any take
        return store;
    }
}
