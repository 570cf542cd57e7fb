package dev.checkpoint.autoconfigure;

import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * An AWS client the starter uses, and whose it is: the application's own (such as Spring Cloud AWS's), used and never
 * closed here; or one the starter built from its properties, closed with the context. Not a bean of the client's type,
 * so that the starter never becomes the application's client nor makes Spring Cloud AWS's back off.
 *
 * @param <C> the client's type
 */
public abstract class CheckpointAwsClient<C extends SdkAutoCloseable> implements AutoCloseable {

    private final C client;
    private final boolean owned;

    protected CheckpointAwsClient(C client, boolean owned) {
        this.client = client;
        this.owned = owned;
    }

    public C client() {
        return client;
    }

    /** Whether the starter built it from its properties, rather than taking the application's. */
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
