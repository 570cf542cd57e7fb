package dev.checkpoint.autoconfigure;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * Where and as whom one of the starter's own AWS clients connects: {@code checkpoint.dynamodb.*} and
 * {@code checkpoint.kinesis.*}. Used only when the application has no client bean of that service (the starter then
 * uses the application's, and refuses these properties beside it).
 */
public class AwsClientProperties {

    /**
     * Endpoint of the service, such as a local server. Defaults to the AWS SDK's endpoint for the region.
     */
    private @Nullable URI endpoint;

    /**
     * AWS region. Defaults to Spring Cloud AWS's region when it is present (spring.cloud.aws.region.static), then the
     * AWS SDK's region chain (AWS_REGION, the profile, instance metadata).
     */
    private @Nullable String region;

    /**
     * Access key id of static credentials, for a local server or a test; set together with secret-access-key.
     * Defaults to Spring Cloud AWS's credentials when it is present, then the AWS SDK's credentials chain, which is
     * what production should use.
     */
    private @Nullable String accessKeyId;

    /**
     * Secret access key of static credentials; set together with access-key-id. Never shown in messages, logs or
     * endpoints.
     */
    private @Nullable String secretAccessKey;

    public @Nullable URI getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(@Nullable URI endpoint) {
        this.endpoint = endpoint;
    }

    public @Nullable String getRegion() {
        return region;
    }

    public void setRegion(@Nullable String region) {
        this.region = region;
    }

    public @Nullable String getAccessKeyId() {
        return accessKeyId;
    }

    public void setAccessKeyId(@Nullable String accessKeyId) {
        this.accessKeyId = accessKeyId;
    }

    public @Nullable String getSecretAccessKey() {
        return secretAccessKey;
    }

    public void setSecretAccessKey(@Nullable String secretAccessKey) {
        this.secretAccessKey = secretAccessKey;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[endpoint=" + endpoint + ", region=" + region + ", accessKeyId="
                + (accessKeyId == null ? null : "(set)") + ", secretAccessKey="
                + (secretAccessKey == null ? null : "(set)") + "]";
    }
}
