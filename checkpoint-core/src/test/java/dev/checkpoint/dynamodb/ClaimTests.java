package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/** Lease stealing by claim, with the seed's rules and a claim timeout. */
class ClaimTests {

    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(30);

    private final DynamoDbClient client = Tables.client();
    private final ManualMonotonicClock ownerTime = new ManualMonotonicClock();
    private final ManualMonotonicClock claimantTime = new ManualMonotonicClock();
    private final ManualMonotonicClock bystanderTime = new ManualMonotonicClock();
    private String table;
    private DynamoDbCheckpointer owner;
    private DynamoDbCheckpointer claimant;
    private DynamoDbCheckpointer bystander;
    private ShardStatus ownersShard;

    @BeforeEach
    void ownerHoldsTheShardWithACheckpoint() {
        table = Tables.newTableName();
        owner = Tables.initialised(stealing(Tables.checkpointer(client, table, "owner", ownerTime)));
        claimant = stealing(Tables.checkpointer(client, table, "claimant", claimantTime)).build();
        bystander = stealing(Tables.checkpointer(client, table, "bystander", bystanderTime)).build();
        ownersShard = new ShardStatus("shard-1");
        owner.getLease(ownersShard, "owner");
        ownersShard.setCheckpoint("100");
        owner.checkpointSequence(ownersShard);
    }

    private static DynamoDbCheckpointer.Builder stealing(DynamoDbCheckpointer.Builder builder) {
        return builder.enableLeaseStealing(true).claimTimeout(CLAIM_TIMEOUT);
    }

    @Test
    void claimIsStoredWithoutChangingOwnerOrCheckpoint() {
        claim();

        Map<String, AttributeValue> row = row();
        assertThat(row.get("ClaimRequest").s()).isEqualTo("claimant");
        assertThat(row.get("AssignedTo").s()).isEqualTo("owner");
        assertThat(row.get("Checkpoint").s()).isEqualTo("100");
        assertThat(row.get("LeaseCounter").n()).isEqualTo("1");
    }

    @Test
    void secondClaimIsRefused() {
        claim();
        ShardStatus seenByBystander = new ShardStatus("shard-1");
        bystander.fetchCheckpoint(seenByBystander);
        seenByBystander.setClaimRequest(null);

        assertThatThrownBy(() -> bystander.claimShard(seenByBystander, "bystander"))
                .isInstanceOf(ShardClaimedException.class)
                .hasMessageContaining("shard is already claimed by another node");
        assertThat(row().get("ClaimRequest").s()).isEqualTo("claimant");
    }

    @Test
    void claimOnAStaleViewOfTheOwnerIsRefused() {
        ShardStatus stale = new ShardStatus("shard-1");
        stale.setLeaseOwner("somebody-else");

        assertThatThrownBy(() -> claimant.claimShard(stale, "claimant")).isInstanceOf(LeaseNotAcquiredException.class);
        assertThat(row()).doesNotContainKey("ClaimRequest");
    }

    @Test
    void ownersRenewalSeesTheClaim() {
        claim();

        assertThatThrownBy(() -> owner.getLease(ownersShard, "owner"))
                .isInstanceOf(ShardClaimedException.class)
                .hasMessageContaining("claimant");
        assertThat(row().get("AssignedTo").s()).isEqualTo("owner");
    }

    @Test
    void checkpointWritesNeverEraseAClaim() {
        claim();
        ownersShard.setCheckpoint("150");

        owner.checkpointSequence(ownersShard);

        assertThat(row().get("ClaimRequest").s()).isEqualTo("claimant");
        assertThat(row().get("Checkpoint").s()).isEqualTo("150");
    }

    @Test
    void afterTheOwnerReleasesOnlyTheClaimantTakesTheLeaseAndAtOnce() {
        claim();
        owner.removeLeaseOwner("shard-1");

        assertThatThrownBy(() -> bystander.getLease(new ShardStatus("shard-1"), "bystander"))
                .isInstanceOf(ShardClaimedException.class);
        ShardStatus taken = new ShardStatus("shard-1");
        claimant.getLease(taken, "claimant");

        assertThat(row().get("AssignedTo").s()).isEqualTo("claimant");
        assertThat(row()).doesNotContainKey("ClaimRequest");
        assertThat(taken.getCheckpoint()).isEqualTo("100");
        assertThat(taken.getClaimRequest()).isNull();
    }

    @Test
    void claimantStillWaitsForAnOwnerThatHasNotReleased() {
        claim();

        assertThatThrownBy(() -> claimant.getLease(new ShardStatus("shard-1"), "claimant"))
                .isInstanceOf(LeaseNotAcquiredException.class);
        assertThat(row().get("AssignedTo").s()).isEqualTo("owner");
    }

    @Test
    void claimantTakesAnExpiredLeaseThatTheOwnerNeverReleased() {
        claim();
        claimantTime.advance(Tables.LEASE.plusSeconds(1));

        claimant.getLease(new ShardStatus("shard-1"), "claimant");

        assertThat(row().get("AssignedTo").s()).isEqualTo("claimant");
    }

    @Test
    void claimNotTakenWithinTheClaimTimeoutExpires() {
        claim();
        owner.removeLeaseOwner("shard-1");
        assertThatThrownBy(() -> bystander.getLease(new ShardStatus("shard-1"), "bystander"))
                .isInstanceOf(ShardClaimedException.class);

        bystanderTime.advance(CLAIM_TIMEOUT.plusSeconds(1));
        bystander.getLease(new ShardStatus("shard-1"), "bystander");

        assertThat(row().get("AssignedTo").s()).isEqualTo("bystander");
        assertThat(row()).doesNotContainKey("ClaimRequest");
    }

    @Test
    void ownerRenewsOverAClaimThatExpired() {
        claim();
        assertThatThrownBy(() -> owner.getLease(ownersShard, "owner")).isInstanceOf(ShardClaimedException.class);

        ownerTime.advance(CLAIM_TIMEOUT.plusSeconds(1));
        owner.getLease(ownersShard, "owner");

        assertThat(row().get("AssignedTo").s()).isEqualTo("owner");
        assertThat(row()).doesNotContainKey("ClaimRequest");
    }

    @Test
    void withoutLeaseStealingClaimsAreIgnored() {
        DynamoDbCheckpointer plainOwner = Tables.checkpointer(client, table, "owner", ownerTime).build();
        claim();

        plainOwner.getLease(new ShardStatus("shard-1"), "owner");

        assertThat(row().get("AssignedTo").s()).isEqualTo("owner");
        assertThat(row().get("ClaimRequest").s()).isEqualTo("claimant");
    }

    private void claim() {
        ShardStatus seen = new ShardStatus("shard-1");
        claimant.fetchCheckpoint(seen);
        claimant.claimShard(seen, "claimant");
        assertThat(seen.getClaimRequest()).isEqualTo("claimant");
    }

    private Map<String, AttributeValue> row() {
        return client.getItem(GetItemRequest.builder().tableName(table)
                .key(Map.of("ShardID", AttributeValue.fromS("shard-1"))).consistentRead(true).build()).item();
    }
}
