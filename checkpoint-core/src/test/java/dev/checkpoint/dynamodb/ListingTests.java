package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.checkpoint.Lease;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.testsupport.RequestCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Listings read every page, consistently: the seed stopped at the first 1 MB page. */
class ListingTests {

    private static final int SHARDS = 53;

    private final RequestCounter requests = new RequestCounter();
    private final DynamoDbClient client = Tables.client(requests);
    private DynamoDbCheckpointer worker;

    @BeforeEach
    void fillTable() {
        String table = Tables.newTableName();
        worker = Tables.initialised(Tables.checkpointer(client, table, "worker", new ManualMonotonicClock()).scanPageSize(10));
        IntStream.range(0, SHARDS).forEach(i -> worker.getLease(new ShardStatus(shardId(i)), i % 2 == 0 ? "worker" : "other"));
        requests.reset();
    }

    @Test
    void listLeasesReadsEveryPage() {
        List<Lease> leases = worker.listLeases();

        assertThat(leases).hasSize(SHARDS);
        assertThat(leases).extracting(Lease::shardId).doesNotHaveDuplicates().isSorted();
        assertThat(requests.counts().get("Scan")).isEqualTo(6);   // 53 rows, 10 a page
    }

    @Test
    void listActiveWorkersReadsEveryPage() {
        Map<String, ShardStatus> shards = new HashMap<>();
        IntStream.range(0, SHARDS).forEach(i -> shards.put(shardId(i), new ShardStatus(shardId(i))));

        Map<String, List<ShardStatus>> workers = worker.listActiveWorkers(shards);

        assertThat(workers.get("worker")).hasSize(27);
        assertThat(workers.get("other")).hasSize(26);
    }

    @Test
    void listingSeesWritesMadeJustBefore() {
        worker.removeLeaseOwner(shardId(0));

        Lease first = worker.listLeases().get(0);

        assertThat(first.shardId()).isEqualTo(shardId(0));
        assertThat(first.owner()).isNull();
    }

    private static String shardId(int i) {
        return String.format("shardId-%012d", i);
    }
}
