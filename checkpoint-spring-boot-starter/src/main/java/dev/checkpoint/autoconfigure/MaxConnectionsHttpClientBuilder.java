package dev.checkpoint.autoconfigure;

import java.util.List;
import java.util.ServiceLoader;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The HTTP client of one of the starter's own synchronous clients (DynamoDB, Kinesis), with a pool of
 * {@code maxConnections}: whichever synchronous HTTP implementation the application has (the AWS SDK's default,
 * Apache 5, or the one it chose), through the SDK's service interface; the SDK builds it with the service's defaults
 * under this one, and closes it with the client. For the starter's auto-configurations; not an API.
 */
public final class MaxConnectionsHttpClientBuilder implements SdkHttpClient.Builder<MaxConnectionsHttpClientBuilder> {

    private final SdkHttpClient.Builder<?> implementation;
    private final int maxConnections;

    private MaxConnectionsHttpClientBuilder(SdkHttpClient.Builder<?> implementation, int maxConnections) {
        this.implementation = implementation;
        this.maxConnections = maxConnections;
    }

    /**
     * The builder for the one HTTP implementation on the class path; {@code null} when there is none or several (the
     * SDK then chooses as it does, with its own default pool).
     */
    public static @Nullable MaxConnectionsHttpClientBuilder of(int maxConnections) {
        List<SdkHttpService> services = ServiceLoader.load(SdkHttpService.class,
                MaxConnectionsHttpClientBuilder.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();
        return services.size() == 1
                ? new MaxConnectionsHttpClientBuilder(services.get(0).createHttpClientBuilder(), maxConnections) : null;
    }

    @Override
    public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
        return implementation.buildWithDefaults(AttributeMap.builder()
                .put(SdkHttpConfigurationOption.MAX_CONNECTIONS, maxConnections).build().merge(serviceDefaults));
    }
}
