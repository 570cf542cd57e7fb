package dev.checkpoint.autoconfigure;

import dev.checkpoint.CheckpointStoreException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/** Explains a DynamoDB that could not be reached or used at start-up, naming the endpoint and region in use. */
class CheckpointStoreFailureAnalyzer extends AbstractFailureAnalyzer<CheckpointStoreException> {

    private final Environment environment;

    CheckpointStoreFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CheckpointStoreException cause) {
        boolean springCloudAws = environment.containsProperty("spring.cloud.aws.dynamodb.endpoint")
                || environment.containsProperty("spring.cloud.aws.region.static")
                || environment.containsProperty("spring.cloud.aws.endpoint");
        String endpoint = first("the AWS SDK's default endpoint", "checkpoint.dynamodb.endpoint",
                "spring.cloud.aws.dynamodb.endpoint", "spring.cloud.aws.endpoint");
        String region = first("the AWS SDK's default region", "checkpoint.dynamodb.region",
                "spring.cloud.aws.dynamodb.region", "spring.cloud.aws.region.static");
        String settings = springCloudAws
                ? "spring.cloud.aws.dynamodb.endpoint, spring.cloud.aws.region.static and spring.cloud.aws.credentials.*"
                : "checkpoint.dynamodb.endpoint, checkpoint.dynamodb.region and the AWS credentials";
        return new FailureAnalysis("checkpoint could not use DynamoDB at " + endpoint + " (region " + region + "): "
                + cause.getMessage(),
                "Check " + settings + ". To start without DynamoDB and set the table up in the background, set"
                        + " checkpoint.table-initialization=deferred.",
                cause);
    }

    private String first(String otherwise, String... properties) {
        for (String property : properties) {
            String value = environment.getProperty(property);
            if (value != null) {
                return value;
            }
        }
        return otherwise;
    }
}
