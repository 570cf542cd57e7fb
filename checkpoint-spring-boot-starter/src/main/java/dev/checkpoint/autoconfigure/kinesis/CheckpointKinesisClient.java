package dev.checkpoint.autoconfigure.kinesis;

import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The Kinesis client the consumer uses: the application's {@link KinesisClient} bean when it has one, or one built
 * from {@code checkpoint.kinesis.endpoint} and {@code region} (else the SDK's default chains) and closed with the
 * context. Not a {@code KinesisClient} bean, so that it never becomes the application's client.
 */
public final class CheckpointKinesisClient implements AutoCloseable {

    private final KinesisClient client;
    private final boolean owned;

    CheckpointKinesisClient(KinesisClient client, boolean owned) {
        this.client = client;
        this.owned = owned;
    }

    public KinesisClient client() {
        return client;
    }

    /** Whether the starter built it, rather than taking the application's. */
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
