package dev.checkpoint.actuate;

import java.security.Principal;
import java.util.Arrays;
import java.util.List;

import dev.checkpoint.LeaseStore;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.ResetRequest;
import dev.checkpoint.Resets;
import org.jspecify.annotations.Nullable;

/** The endpoint's resets: the position parsed, the shards named, and who asked, for the audit trail. */
final class EndpointResets {

    private final LeaseStore store;

    EndpointResets(LeaseStore store) {
        this.store = store;
    }

    LeasesEndpoint.ResetsDescriptor reset(String position, @Nullable String timestamp, @Nullable String shards,
            @Nullable String requestedBy, @Nullable Principal principal) {
        String who = requester(requestedBy, principal);
        try {
            StartingPosition to = ResetPositions.parse(position, timestamp, null);
            ResetRequest request = shards == null || shards.isBlank() ? ResetRequest.allShards(to)
                    : ResetRequest.shards(to, Arrays.stream(shards.split(",")).map(String::trim)
                            .filter(shard -> !shard.isEmpty()).toList());
            return LeasesEndpoint.ResetsDescriptor.of(new Resets(store).request(request.requestedBy(who)));
        }
        catch (IllegalArgumentException refused) {
            return LeasesEndpoint.ResetsDescriptor.refused(refused);
        }
    }

    LeasesEndpoint.ResetsDescriptor resetShard(String shardId, String position, @Nullable String timestamp,
            @Nullable String sequenceNumber, @Nullable String requestedBy, @Nullable Principal principal) {
        try {
            StartingPosition to = ResetPositions.parse(position, timestamp, sequenceNumber);
            return LeasesEndpoint.ResetsDescriptor.of(new Resets(store).request(ResetRequest.shards(to, List.of(shardId))
                    .requestedBy(requester(requestedBy, principal))));
        }
        catch (IllegalArgumentException refused) {
            return LeasesEndpoint.ResetsDescriptor.refused(refused);
        }
    }

    /** The authenticated user, else who the request says it is from, else the endpoint on this worker. */
    private String requester(@Nullable String requestedBy, @Nullable Principal principal) {
        if (principal != null) {
            return principal.getName();
        }
        return requestedBy != null && !requestedBy.isBlank() ? requestedBy : "/actuator/leases on " + store.workerId();
    }
}
