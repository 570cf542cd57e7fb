package dev.checkpoint.autoconfigure.kinesis;

import dev.checkpoint.autoconfigure.CheckpointAwsClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * The async Kinesis client that subscribes to shards under {@code checkpoint.kinesis.retrieval=fan-out}: the
 * application's {@link KinesisAsyncClient} bean when it has one ({@link #application}), or one the starter built, on
 * HTTP/2, and closes with the context ({@link #own}).
 */
public final class CheckpointKinesisAsyncClient extends CheckpointAwsClient<KinesisAsyncClient> {

    private CheckpointKinesisAsyncClient(KinesisAsyncClient client, boolean owned) {
        super(client, owned);
    }

    /** The application's client: used, never closed here. */
    public static CheckpointKinesisAsyncClient application(KinesisAsyncClient client) {
        return new CheckpointKinesisAsyncClient(client, false);
    }

    /** A client built for the consumer alone, closed with the context. */
    public static CheckpointKinesisAsyncClient own(KinesisAsyncClient client) {
        return new CheckpointKinesisAsyncClient(client, true);
    }
}
