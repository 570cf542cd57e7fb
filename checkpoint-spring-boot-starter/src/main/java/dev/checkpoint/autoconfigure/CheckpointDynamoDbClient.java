package dev.checkpoint.autoconfigure;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB client the checkpointer uses. It is not a {@link DynamoDbClient} bean, so that the starter never
 * becomes the application's DynamoDB client nor makes Spring Cloud AWS's back off: either it is the application's
 * own client ({@link #application}), or one the starter built from {@code checkpoint.dynamodb.*} and closes with the
 * context ({@link #own}).
 */
public final class CheckpointDynamoDbClient implements AutoCloseable {

    private final DynamoDbClient client;
    private final boolean owned;

    private CheckpointDynamoDbClient(DynamoDbClient client, boolean owned) {
        this.client = client;
        this.owned = owned;
    }

    /** The application's client, such as Spring Cloud AWS's: used, never closed here. */
    public static CheckpointDynamoDbClient application(DynamoDbClient client) {
        return new CheckpointDynamoDbClient(client, false);
    }

    /** A client built for the checkpointer alone, closed with the context. */
    public static CheckpointDynamoDbClient own(DynamoDbClient client) {
        return new CheckpointDynamoDbClient(client, true);
    }

    public DynamoDbClient client() {
        return client;
    }

    /** Whether the starter built it, from {@code checkpoint.dynamodb.*}, rather than taking the application's. */
    public boolean isOwn() {
        return owned;
    }

    @Override
    public void close() {
        if (owned) {
            client.close();
        }
    }
}
