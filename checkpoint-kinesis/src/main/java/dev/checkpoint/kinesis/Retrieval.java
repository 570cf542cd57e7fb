package dev.checkpoint.kinesis;

/** How a {@link KinesisConsumer} gets a shard's records. */
public enum Retrieval {

    /**
     * {@code GetRecords} calls, at most 5 a second per shard: every polling application shares the shard's 2 MB a
     * second and its 5 calls. Nothing to register; the default.
     */
    POLLING,

    /**
     * Enhanced fan-out: a registered stream consumer subscribes to each shard ({@code SubscribeToShard}) and Kinesis
     * pushes the records over HTTP/2, about 70 ms after the put, with 2 MB a second per shard for this application
     * alone. Needs an HTTP/2 {@code KinesisAsyncClient}; costs a consumer-shard hour and a charge per GB read.
     */
    FAN_OUT
}
