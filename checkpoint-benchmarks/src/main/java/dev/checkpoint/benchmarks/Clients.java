package dev.checkpoint.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.checkpoint.testsupport.RequestCounter;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB clients of the one server, each HTTP client sized for the benchmark's 8 threads, each counting its requests.
 * The synchronous ones retry nothing on their own, as the starter builds its client: the floor and ours alike.
 */
final class Clients {

    /** The synchronous HTTP clients the AWS SDK offers. */
    enum Sync {
        APACHE5("sync Apache 5 (the SDK's default)"),
        APACHE("sync Apache 4"),
        URL_CONNECTION("sync url-connection");

        final String description;

        Sync(String description) {
            this.description = description;
        }
    }

    static final String NETTY = "async Netty";

    private final URI endpoint;
    private final AwsCredentialsProvider credentials;

    Clients(URI endpoint, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    DynamoDbClient sync(Sync http, RequestCounter counter) {
        SdkHttpClient client = switch (http) {
            case APACHE5 -> Apache5HttpClient.builder().maxConnections(32).build();
            case APACHE -> ApacheHttpClient.builder().maxConnections(32).build();
            case URL_CONNECTION -> UrlConnectionHttpClient.builder().build();
        };
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(client)
                .overrideConfiguration(override -> override.executionInterceptors(List.of(counter))
                        .apiCallTimeout(Duration.ofSeconds(30)).retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** Apache 5 with the SDK's own retries on, as an application's client (Spring Cloud AWS's) has them. */
    DynamoDbClient retrying(RequestCounter counter) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(Apache5HttpClient.builder().maxConnections(32).build())
                .overrideConfiguration(override -> override.executionInterceptors(List.of(counter))
                        .apiCallTimeout(Duration.ofSeconds(30)))
                .build();
    }

    DynamoDbAsyncClient async(RequestCounter counter) {
        return DynamoDbAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(NettyNioAsyncHttpClient.builder().maxConcurrency(32).build())
                .overrideConfiguration(override -> override.executionInterceptors(List.of(counter))
                        .apiCallTimeout(Duration.ofSeconds(30)))
                .build();
    }
}
