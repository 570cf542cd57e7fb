package dev.checkpoint.sample;

import java.net.URI;
import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Configuration of the sample consumer. */
@ConfigurationProperties("sample")
public class SampleProperties {

    /** Kinesis stream to consume. */
    private String streamName = "checkpoint-sample";

    /** Number of shards of the stream when this instance creates it. */
    private int shardCount = 8;

    /** Whether this instance consumes the stream. */
    private boolean consumerEnabled = true;

    /** File to append every processed record to, one line each; none when unset. */
    private Path processedLog;

    private final Kinesis kinesis = new Kinesis();

    private final Producer producer = new Producer();

    public String getStreamName() {
        return streamName;
    }

    public void setStreamName(String streamName) {
        this.streamName = streamName;
    }

    public int getShardCount() {
        return shardCount;
    }

    public void setShardCount(int shardCount) {
        this.shardCount = shardCount;
    }

    public boolean isConsumerEnabled() {
        return consumerEnabled;
    }

    public void setConsumerEnabled(boolean consumerEnabled) {
        this.consumerEnabled = consumerEnabled;
    }

    public Path getProcessedLog() {
        return processedLog;
    }

    public void setProcessedLog(Path processedLog) {
        this.processedLog = processedLog;
    }

    public Kinesis getKinesis() {
        return kinesis;
    }

    public Producer getProducer() {
        return producer;
    }

    /** The Kinesis client. */
    public static class Kinesis {

        /** Endpoint of Kinesis, such as a local kinesis-local. Defaults to the AWS SDK's. */
        private URI endpoint;

        /** AWS region. Defaults to the AWS SDK's region chain. */
        private String region;

        /**
         * HTTPS endpoint of SubscribeToShard for checkpoint.kinesis.retrieval=fan-out, such as a local kinesis-local's
         * second port. A loopback endpoint's certificate is trusted whatever it is: kinesis-local's is self-signed.
         */
        private URI fanOutEndpoint;

        public URI getEndpoint() {
            return endpoint;
        }

        public void setEndpoint(URI endpoint) {
            this.endpoint = endpoint;
        }

        public String getRegion() {
            return region;
        }

        public URI getFanOutEndpoint() {
            return fanOutEndpoint;
        }

        public void setFanOutEndpoint(URI fanOutEndpoint) {
            this.fanOutEndpoint = fanOutEndpoint;
        }

        public void setRegion(String region) {
            this.region = region;
        }
    }

    /** A producer of test records, off by default. */
    public static class Producer {

        /** Whether this instance writes records to the stream. */
        private boolean enabled;

        /** Records written per second. */
        private int recordsPerSecond = 20;

        /** Records to write in all; 0 for no end. */
        private long total;

        /** Number of distinct partition keys. */
        private int keys = 50;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getRecordsPerSecond() {
            return recordsPerSecond;
        }

        public void setRecordsPerSecond(int recordsPerSecond) {
            this.recordsPerSecond = recordsPerSecond;
        }

        public long getTotal() {
            return total;
        }

        public void setTotal(long total) {
            this.total = total;
        }

        public int getKeys() {
            return keys;
        }

        public void setKeys(int keys) {
            this.keys = keys;
        }
    }
}
