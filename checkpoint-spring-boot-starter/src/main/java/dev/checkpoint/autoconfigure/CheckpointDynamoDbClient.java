package dev.checkpoint.autoconfigure;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB client the checkpointer uses: the application's own ({@link #application}), or one the starter built
 * from {@code checkpoint.dynamodb.*} and closes with the context ({@link #own}).
 */
public final class CheckpointDynamoDbClient extends CheckpointAwsClient<DynamoDbClient> {

    private CheckpointDynamoDbClient(DynamoDbClient client, boolean owned) {
        super(client, owned);
    }

    /** The application's client, such as Spring Cloud AWS's: used, never closed here. */
    public static CheckpointDynamoDbClient application(DynamoDbClient client) {
        return new CheckpointDynamoDbClient(client, false);
    }

    /** A client built for the checkpointer alone, closed with the context. */
    public static CheckpointDynamoDbClient own(DynamoDbClient client) {
        return new CheckpointDynamoDbClient(client, true);
    }
}
