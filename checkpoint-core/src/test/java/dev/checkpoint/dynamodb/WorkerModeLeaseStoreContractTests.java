package dev.checkpoint.dynamodb;

import dev.checkpoint.LeaseStore;
import dev.checkpoint.LeaseStoreContract;
import dev.checkpoint.RenewalMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB store in worker renewal mode, against the test server (dynalite by default), held to the contract. */
class WorkerModeLeaseStoreContractTests extends LeaseStoreContract {

    private final DynamoDbClient client = Tables.client();
    private final String table = Tables.newTableName();
    private boolean created;

    @Override
    protected LeaseStore worker(String workerId, Clock clock) {
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName(table)
                .workerId(workerId).leaseDuration(LEASE).enableLeaseStealing(true).monotonicClock(clock)
                .renewalMode(RenewalMode.WORKER).sleeper(duration -> { }).build();
        if (!created) {
            checkpointer.init();
            created = true;
        }
        LeaseStore store = checkpointer.leaseStore();
        store.register();
        return store;
    }
}
