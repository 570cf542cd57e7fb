package dev.checkpoint.dynamodb;

import dev.checkpoint.RenewalMode;

/** The DynamoDB store in worker renewal mode, against the test server (dynalite by default), held to the contract. */
class WorkerModeLeaseStoreContractTests extends DynamoDbLeaseStoreContractTests {

    @Override
    RenewalMode mode() {
        return RenewalMode.WORKER;
    }
}
