package dev.checkpoint.memory;

import dev.checkpoint.LeaseStore;
import dev.checkpoint.LeaseStoreContract;

/** The in-memory store passes the same contract as the DynamoDB one: what the coordinator's fast tests rest on. */
class InMemoryLeaseStoreContractTests extends LeaseStoreContract {

    private final InMemoryLeaseTable table = new InMemoryLeaseTable();

    @Override
    protected LeaseStore worker(String workerId, Clock clock) {
        return new InMemoryLeaseStore(table, workerId, LEASE, true, clock);
    }
}
