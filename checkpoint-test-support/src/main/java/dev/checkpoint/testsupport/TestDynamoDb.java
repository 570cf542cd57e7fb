package dev.checkpoint.testsupport;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB server every test runs against, chosen in this one place, once per JVM:
 * <ol>
 * <li>{@code CHECKPOINT_TEST_DYNAMODB_ENDPOINT} set: that endpoint, with the region in
 * {@code CHECKPOINT_TEST_DYNAMODB_REGION} (default us-east-1) and the default AWS credentials;</li>
 * <li>{@code CHECKPOINT_TEST_DYNAMODB=localstack}: LocalStack through Testcontainers, which needs Docker;</li>
 * <li>otherwise dynalite, pinned in the project's {@code package-lock.json}, on a free loopback port.</li>
 * </ol>
 */
public final class TestDynamoDb {

    private static final Logger log = LoggerFactory.getLogger(TestDynamoDb.class);

    public static final String ENDPOINT_VARIABLE = "CHECKPOINT_TEST_DYNAMODB_ENDPOINT";
    public static final String REGION_VARIABLE = "CHECKPOINT_TEST_DYNAMODB_REGION";
    public static final String BACKEND_VARIABLE = "CHECKPOINT_TEST_DYNAMODB";
    /** Newer LocalStack images refuse to start without an auth token; this one does not. */
    public static final String LOCALSTACK_IMAGE = "localstack/localstack:4.4.0";

    private static TestDynamoDb shared;

    private final String description;
    private final URI endpoint;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final LocalAwsServer dynalite;

    private TestDynamoDb(String description, URI endpoint, Region region, AwsCredentialsProvider credentials,
            LocalAwsServer dynalite) {
        this.description = description;
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.dynalite = dynalite;
    }

    /** The server for this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized TestDynamoDb shared() {
        if (shared == null) {
            shared = select();
            log.info("Tests run against {}", shared.description);
        }
        return shared;
    }

    /** A dynalite server of a test's own, which it may stop and restart, as a {@code TestDynamoDb}. */
    public static TestDynamoDb of(LocalAwsServer dynalite) {
        return new TestDynamoDb("dynalite at " + dynalite.endpoint(), dynalite.endpoint(), Region.US_EAST_1,
                localCredentials(), dynalite);
    }

    private static TestDynamoDb select() {
        String endpoint = System.getenv(ENDPOINT_VARIABLE);
        if (endpoint != null && !endpoint.isBlank()) {
            String region = System.getenv().getOrDefault(REGION_VARIABLE, "us-east-1");
            return new TestDynamoDb("the endpoint " + endpoint, URI.create(endpoint), Region.of(region),
                    AwsCredentialsProviderChain.of(DefaultCredentialsProvider.builder().build(), localCredentials()), null);
        }
        String backend = System.getenv().getOrDefault(BACKEND_VARIABLE, "dynalite").toLowerCase(Locale.ROOT);
        switch (backend) {
            case "localstack" -> {
                LocalStackContainer localStack = new LocalStackContainer(LOCALSTACK_IMAGE).withServices("dynamodb");
                localStack.start();
                Runtime.getRuntime().addShutdownHook(new Thread(localStack::stop, "localstack-stop"));
                return new TestDynamoDb("LocalStack " + LOCALSTACK_IMAGE, localStack.getEndpoint(),
                        Region.of(localStack.getRegion()), StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(localStack.getAccessKey(), localStack.getSecretKey())), null);
            }
            case "dynalite" -> {
                LocalAwsServer server = LocalAwsServer.start(LocalAwsServer.Kind.DYNALITE);
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "dynalite-stop"));
                return new TestDynamoDb("dynalite at " + server.endpoint(), server.endpoint(), Region.US_EAST_1,
                        localCredentials(), server);
            }
            default -> throw new IllegalStateException(BACKEND_VARIABLE + " must be dynalite or localstack, was " + backend);
        }
    }

    private static AwsCredentialsProvider localCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("checkpoint-test", "checkpoint-test"));
    }

    public URI endpoint() {
        return endpoint;
    }

    public Region region() {
        return region;
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** Whether the server takes any credentials (dynalite and LocalStack do); else only real ones work. */
    public boolean acceptsAnyCredentials() {
        return !description.startsWith("the endpoint ");
    }

    /** Whether this is the local dynalite server, which tests may stop and restart. */
    public boolean isDynalite() {
        return dynalite != null;
    }

    @Override
    public String toString() {
        return description;
    }

    /** A new client of this server, with the given interceptors (to count or fail requests). */
    public DynamoDbClient newClient(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(override -> override.executionInterceptors(List.of(interceptors)))
                .build();
    }

    /** A table name no other test uses. */
    public static String uniqueTableName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
