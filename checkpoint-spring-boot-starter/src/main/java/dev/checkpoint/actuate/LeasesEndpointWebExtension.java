package dev.checkpoint.actuate;

import java.security.Principal;

import dev.checkpoint.actuate.LeasesEndpoint.ReleaseDescriptor;
import dev.checkpoint.actuate.LeasesEndpoint.ResetsDescriptor;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@code leases} endpoint's writes over HTTP, with real status codes. Release: 200 released, 404 no lease for that
 * shard, 409 this worker does not hold it. Reset: 200 written, 400 a bad position, 404 a shard without a lease.
 */
@EndpointWebExtension(endpoint = LeasesEndpoint.class)
public class LeasesEndpointWebExtension {

    private final LeasesEndpoint endpoint;

    public LeasesEndpointWebExtension(LeasesEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @WriteOperation
    public WebEndpointResponse<ResetsDescriptor> reset(String position, @Nullable String timestamp, @Nullable String shards,
            @Nullable String requestedBy, @Nullable Principal principal) {
        return withStatus(endpoint.reset(position, timestamp, shards, requestedBy, principal));
    }

    @WriteOperation
    public WebEndpointResponse<ResetsDescriptor> resetShard(@Selector String shardId, String position,
            @Nullable String timestamp, @Nullable String sequenceNumber, @Nullable String requestedBy,
            @Nullable Principal principal) {
        return withStatus(endpoint.resetShard(shardId, position, timestamp, sequenceNumber, requestedBy, principal));
    }

    private static WebEndpointResponse<ResetsDescriptor> withStatus(ResetsDescriptor result) {
        int status = switch (result.outcome()) {
            case ResetsDescriptor.RESET -> WebEndpointResponse.STATUS_OK;
            case ResetsDescriptor.NO_SUCH_SHARD -> WebEndpointResponse.STATUS_NOT_FOUND;
            default -> WebEndpointResponse.STATUS_BAD_REQUEST;
        };
        return new WebEndpointResponse<>(result, status);
    }

    @DeleteOperation
    public WebEndpointResponse<ReleaseDescriptor> release(@Selector String shardId) {
        ReleaseDescriptor result = endpoint.release(shardId);
        int status = switch (result.outcome()) {
            case ReleaseDescriptor.RELEASED -> WebEndpointResponse.STATUS_OK;
            case ReleaseDescriptor.NO_SUCH_SHARD -> WebEndpointResponse.STATUS_NOT_FOUND;
            default -> 409;
        };
        return new WebEndpointResponse<>(result, status);
    }
}
