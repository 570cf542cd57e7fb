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
        String endpoint = environment.getProperty("checkpoint.dynamodb.endpoint", "the AWS SDK's default endpoint");
        String region = environment.getProperty("checkpoint.dynamodb.region", "the AWS SDK's default region");
        return new FailureAnalysis("checkpoint could not use DynamoDB at " + endpoint + " (region " + region + "): "
                + cause.getMessage(),
                "Check checkpoint.dynamodb.endpoint, checkpoint.dynamodb.region and the AWS credentials. To start"
                        + " without DynamoDB and set the table up in the background, set"
                        + " checkpoint.table-initialization=deferred.",
                cause);
    }
}
