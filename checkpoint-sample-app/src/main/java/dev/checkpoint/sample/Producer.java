package dev.checkpoint.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/** Writes numbered events with a handful of keys to the stream, at a steady rate, once a second. */
public class Producer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Producer.class);

    private final KinesisClient kinesis;
    private final SampleProperties properties;
    private final AtomicLong numbered = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private ScheduledExecutorService scheduler;

    public Producer(KinesisClient kinesis, SampleProperties properties) {
        this.kinesis = kinesis;
        this.properties = properties;
    }

    public long written() {
        return written.get();
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "producer"));
        scheduler.scheduleAtFixedRate(this::produce, 0, 1, TimeUnit.SECONDS);
        log.info("Producing {} records a second to {}", properties.getProducer().getRecordsPerSecond(),
                properties.getStreamName());
    }

    private void produce() {
        try {
            SampleProperties.Producer settings = properties.getProducer();
            long total = settings.getTotal();
            int batch = settings.getRecordsPerSecond();
            if (total > 0) {
                batch = (int) Math.min(batch, total - written.get());
            }
            if (batch <= 0) {
                return;
            }
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                long n = numbered.getAndIncrement();
                String key = "key-" + (n % settings.getKeys());
                entries.add(PutRecordsRequestEntry.builder().partitionKey(key)
                        .data(SdkBytes.fromUtf8String("event-" + n)).build());
            }
            int failed = kinesis.putRecords(put -> put.streamName(properties.getStreamName()).records(entries))
                    .failedRecordCount();
            written.addAndGet(entries.size() - failed);
        }
        catch (RuntimeException failure) {
            log.warn("Producing failed: {}", failure.getMessage());
        }
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }
}
