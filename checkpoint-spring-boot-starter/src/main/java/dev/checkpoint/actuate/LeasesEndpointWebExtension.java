package dev.checkpoint.actuate;

import dev.checkpoint.actuate.LeasesEndpoint.ReleaseDescriptor;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@code leases} endpoint's release over HTTP, with real status codes: 200 released, 404 no lease for that shard,
 * 409 this worker does not hold it.
 */
@EndpointWebExtension(endpoint = LeasesEndpoint.class)
public class LeasesEndpointWebExtension {

    private final LeasesEndpoint endpoint;

    public LeasesEndpointWebExtension(LeasesEndpoint endpoint) {
        this.endpoint = endpoint;
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
