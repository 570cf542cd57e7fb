package dev.checkpoint.autoconfigure;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB client the checkpointer uses: the application's own ({@link #application}), or one the starter built
 * from {@code checkpoint.dynamodb.*} and closes with the context ({@link #own}), with a second one of its own for
 * renewals and heartbeats, so that they never wait for a connection behind checkpoints.
 */
public final class CheckpointDynamoDbClient extends CheckpointAwsClient<DynamoDbClient> {

    private final @Nullable DynamoDbClient renewalClient;

    private CheckpointDynamoDbClient(DynamoDbClient client, @Nullable DynamoDbClient renewalClient, boolean owned) {
        super(client, owned);
        this.renewalClient = renewalClient;
    }

    /** The application's client, such as Spring Cloud AWS's: used for everything, renewals too, never closed here. */
    public static CheckpointDynamoDbClient application(DynamoDbClient client) {
        return new CheckpointDynamoDbClient(client, null, false);
    }

    /** A client built for the checkpointer alone, renewals included, closed with the context. */
    public static CheckpointDynamoDbClient own(DynamoDbClient client) {
        return new CheckpointDynamoDbClient(client, null, true);
    }

    /** Clients built for the checkpointer alone, one of them for renewals and heartbeats, both closed with the context. */
    public static CheckpointDynamoDbClient own(DynamoDbClient client, DynamoDbClient renewalClient) {
        return new CheckpointDynamoDbClient(client, renewalClient, true);
    }

    /** The client of renewals and heartbeats alone, or {@code null} when they share {@link #client()}. */
    public @Nullable DynamoDbClient renewalClient() {
        return renewalClient;
    }

    @Override
    public void close() {
        super.close();
        if (isOwn() && renewalClient != null) {
            renewalClient.close();
        }
    }
}
