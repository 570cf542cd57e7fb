package dev.checkpoint.memory;

import dev.checkpoint.LeaseStore;
import dev.checkpoint.LeaseStoreContract;
import dev.checkpoint.RenewalMode;

/**
 * The in-memory store in worker renewal mode passes the same contract as the DynamoDB one in that mode: what the
 * coordinator's fast worker-mode tests rest on.
 */
class InMemoryWorkerModeContractTests extends LeaseStoreContract {

    private final InMemoryLeaseTable table = new InMemoryLeaseTable();

    @Override
    protected LeaseStore worker(String workerId, Clock clock) {
        LeaseStore store = new InMemoryLeaseStore(table, workerId, LEASE, true, clock, RenewalMode.WORKER);
        store.register();
        return store;
    }
}
