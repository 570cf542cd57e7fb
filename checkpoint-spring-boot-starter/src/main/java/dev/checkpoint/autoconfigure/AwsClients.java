package dev.checkpoint.autoconfigure;

import java.util.Optional;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

/**
 * Chooses or builds one of the starter's AWS clients, the same way for every service (DynamoDB, Kinesis):
 * <ol>
 * <li>the application's client bean of that service when it has one, such as Spring Cloud AWS's, with its region,
 * endpoint, credentials and customizers; the starter's own properties of that client set as well are refused, since
 * they would be ignored;</li>
 * <li>otherwise a client of the starter's own: its properties (endpoint, region, static credentials), then Spring Cloud
 * AWS's region and credentials beans when present, then the AWS SDK's default chains; then the customizers, last word
 * theirs.</li>
 * </ol>
 * For the starter's auto-configurations; not an API.
 */
public final class AwsClients {

    /**
     * One service's client as the starter names it in messages.
     *
     * @param type the client's type, such as {@code DynamoDbClient}
     * @param prefix its properties, such as {@code checkpoint.dynamodb}
     * @param configureInstead what to do instead of setting the properties beside the application's client
     * @param whenSeveral what to do when the application has several clients of the type
     */
    public record Kind(String type, String prefix, String configureInstead, String whenSeveral) {
    }

    private AwsClients() {
    }

    /**
     * The application's unique client of the kind, or {@code null} when it has none.
     *
     * @throws InvalidCheckpointPropertyException when it has several, or when the starter's properties of the client
     *         are set beside it
     */
    public static <C> @Nullable C applicationClient(Kind kind, ObjectProvider<C> clients, AwsClientProperties properties) {
        C application = clients.getIfUnique();
        if (application != null) {
            rejectOwnSettings(kind, properties);
            return application;
        }
        if (clients.stream().findAny().isPresent()) {
            throw new InvalidCheckpointPropertyException(kind.type(), "several beans", "the application has several "
                    + kind.type() + " beans and the starter cannot tell which to use", kind.whenSeveral());
        }
        return null;
    }

    /** A client of the starter's own, from its properties, Spring Cloud AWS's region and credentials, and customizers. */
    public static <B extends AwsClientBuilder<B, C>, C> C build(Kind kind, B builder, AwsClientProperties properties,
            ObjectProvider<AwsRegionProvider> regions, ObjectProvider<AwsCredentialsProvider> credentials,
            Consumer<B> customize) {
        if (properties.getEndpoint() != null) {
            builder.endpointOverride(properties.getEndpoint());
        }
        if (properties.getRegion() != null) {
            builder.region(Region.of(properties.getRegion()));
        }
        else {
            AwsRegionProvider region = regions.getIfUnique();
            if (region != null) {
                builder.region(region.getRegion());
            }
        }
        Optional<AwsCredentialsProvider> staticCredentials = staticCredentials(kind, properties);
        if (staticCredentials.isPresent()) {
            builder.credentialsProvider(staticCredentials.get());
        }
        else {
            AwsCredentialsProvider provider = credentials.getIfUnique();
            if (provider != null) {
                builder.credentialsProvider(provider);
            }
        }
        customize.accept(builder);
        try {
            return builder.build();
        }
        catch (SdkClientException noRegion) {
            throw new InvalidCheckpointPropertyException(kind.prefix() + ".region", properties.getRegion(),
                    "no AWS region is set and the AWS SDK found none: " + noRegion.getMessage(),
                    "Set " + kind.prefix() + ".region, for example " + kind.prefix()
                            + ".region=eu-west-1, or the AWS_REGION environment variable.");
        }
    }

    /** With the application's client in use, the starter's properties of it would be ignored: say so, and stop. */
    private static void rejectOwnSettings(Kind kind, AwsClientProperties properties) {
        Integer maxConnections = properties instanceof CheckpointProperties.Dynamodb dynamodb ? dynamodb.getMaxConnections()
                : null;
        String set = properties.getEndpoint() != null ? "endpoint" : properties.getRegion() != null ? "region"
                : StringUtils.hasText(properties.getAccessKeyId()) ? "access-key-id"
                : StringUtils.hasText(properties.getSecretAccessKey()) ? "secret-access-key"
                : maxConnections != null ? "max-connections" : null;
        if (set != null) {
            Object value = set.equals("endpoint") ? properties.getEndpoint() : set.equals("region") ? properties.getRegion()
                    : set.equals("max-connections") ? maxConnections : "(hidden)";
            throw new InvalidCheckpointPropertyException(kind.prefix() + "." + set, value, "it would be ignored: the "
                    + "application has a " + kind.type() + " bean (Spring Cloud AWS's, or its own), and the starter uses "
                    + "that client", "Remove " + kind.prefix() + ".*, and " + kind.configureInstead());
        }
    }

    /** Static credentials when both properties are set; neither value is ever put in a message. */
    private static Optional<AwsCredentialsProvider> staticCredentials(Kind kind, AwsClientProperties properties) {
        boolean keyId = StringUtils.hasText(properties.getAccessKeyId());
        boolean secret = StringUtils.hasText(properties.getSecretAccessKey());
        if (keyId != secret) {
            String missing = kind.prefix() + (keyId ? ".secret-access-key" : ".access-key-id");
            String present = kind.prefix() + (keyId ? ".access-key-id" : ".secret-access-key");
            throw new InvalidCheckpointPropertyException(missing, "", "must be set when " + present + " is set",
                    "Set both " + missing + " and " + present + ", or neither to use the default credentials.");
        }
        return keyId ? Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                properties.getAccessKeyId(), properties.getSecretAccessKey()))) : Optional.empty();
    }
}
