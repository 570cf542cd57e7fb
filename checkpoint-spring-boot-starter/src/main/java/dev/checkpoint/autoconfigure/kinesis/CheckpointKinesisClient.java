package dev.checkpoint.autoconfigure.kinesis;

import dev.checkpoint.autoconfigure.CheckpointAwsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The Kinesis client the consumer uses: the application's {@link KinesisClient} bean when it has one
 * ({@link #application}), or one the starter built from {@code checkpoint.kinesis.*} and closes with the context
 * ({@link #own}).
 */
public final class CheckpointKinesisClient extends CheckpointAwsClient<KinesisClient> {

    private CheckpointKinesisClient(KinesisClient client, boolean owned) {
        super(client, owned);
    }

    /** The application's client: used, never closed here. */
    public static CheckpointKinesisClient application(KinesisClient client) {
        return new CheckpointKinesisClient(client, false);
    }

    /** A client built for the consumer alone, closed with the context. */
    public static CheckpointKinesisClient own(KinesisClient client) {
        return new CheckpointKinesisClient(client, true);
    }
}
