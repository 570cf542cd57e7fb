package dev.checkpoint.kinesis;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

import dev.checkpoint.InvalidSettingException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.coordinator.OwnedShard;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Consumes a Kinesis stream on a lease coordinator: give the coordinator {@link #shardSource()} and this as its
 * listener. Each shard this worker holds is read from its checkpoint (or the initial position), and its records are
 * handed to the one processor. The shards are read in turns (a read, and the processing of what it returned) on a
 * bounded pool of platform threads ({@link Builder#readerThreads}), or, given a factory of virtual threads from Java 21
 * on ({@link Builder#threadFactory}), on a virtual thread each turn. Between its turns a shard holds no thread: a
 * worker holding a thousand shards runs on a few dozen threads.
 *
 * <pre>{@code
 * KinesisConsumer consumer = KinesisConsumer.builder().kinesisClient(kinesis)
 *         .settings(KinesisConsumerSettings.builder().streamName("orders").build())
 *         .processor(records -> records.forEach(record -> handle(record.data())))
 *         .build();
 * LeaseCoordinator coordinator = LeaseCoordinator.builder().checkpointer(checkpointer)
 *         .shardSource(consumer.shardSource()).listener(consumer).build();
 * coordinator.start();
 * }</pre>
 *
 * <ul>
 * <li>{@code leaseGained}: the shard's reader starts.</li>
 * <li>{@code leaseEnding} (a hand-off, a claim, a stop): the reader finishes the batch in flight, checkpoints it, and
 * ends; then the coordinator releases the lease.</li>
 * <li>{@code leaseLost}: the reader stops at once and writes nothing more; the next owner reads on from the last
 * checkpoint.</li>
 * </ul>
 */
public final class KinesisConsumer implements LeaseListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KinesisConsumer.class);
    /** The platform threads that read the shards, unless the application gives a thread factory. */
    public static final int DEFAULT_READER_THREADS = 64;

    private final KinesisClient kinesis;
    private final @Nullable KinesisAsyncClient kinesisAsync;
    private final @Nullable StreamConsumerRegistration fanOutConsumer;
    private final KinesisConsumerSettings settings;
    private final CheckpointingRecordProcessor processor;
    private final ShardConsumerListener listener;
    private final MonotonicClock clock;
    private final KinesisShardSource shardSource;
    private final ReaderThreads readers;
    private final Executor checkpointWriters;
    private final ConcurrentMap<OwnedShard, Running> running = new ConcurrentHashMap<>();

    /** A shard's consumer, its stop signal, and its end (once it is forgotten here and the listener told). */
    private record Running(ShardConsumer consumer, StopSignal stop, CompletableFuture<Void> ended) {
    }

    private KinesisConsumer(Builder builder) {
        this.kinesis = builder.kinesisClient;
        this.kinesisAsync = builder.kinesisAsyncClient;
        this.settings = builder.settings;
        this.fanOutConsumer = settings.retrieval() == Retrieval.FAN_OUT ? new StreamConsumerRegistration(kinesisAsync,
                settings.stream(), settings.consumerName(), settings.consumerArn()) : null;
        this.processor = builder.processor;
        this.listener = builder.listener;
        this.clock = builder.clock;
        ThreadFactory factory = builder.threadFactory;
        this.readers = factory == null ? ReaderThreads.bounded(builder.readerThreads) : ReaderThreads.perTurn(factory);
        // A shard has at most one checkpoint write in flight, and later positions replace one waiting: a pool a quarter
        // the readers' size keeps up, and never waits on a reader (a reader's last flush waits on it).
        this.checkpointWriters = factory == null
                ? ReaderThreads.pool(Math.max(4, builder.readerThreads / 4), "checkpoint-kinesis-writer")
                : write -> named(factory.newThread(write), "checkpoint-kinesis-writer").start();
        this.shardSource = new KinesisShardSource(kinesis, settings.stream(), new ReadOutcomes(clock));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The stream's shards, for the coordinator. */
    public KinesisShardSource shardSource() {
        return shardSource;
    }

    public KinesisConsumerSettings settings() {
        return settings;
    }

    @Override
    public void leaseGained(OwnedShard shard) {
        StopSignal stop = new StopSignal();
        StartingPosition start = startingPositionOf(shard);
        Position checkpoint = Position.storedIn(shard);
        ReadOutcomes reads = new ReadOutcomes(clock);
        RecordSupplier supplier = fanOutConsumer != null
                ? new FanOutRecordSupplier(kinesisAsync, fanOutConsumer, shard.shardId(), checkpoint, start,
                        () -> shardSource.closed(shard.shardId()), new ShardEndProbe(kinesis, settings.stream()), settings,
                        stop, listener, reads, readers, clock)
                : new PollingRecordSupplier(kinesis, settings.stream(), shard.shardId(), checkpoint, start, settings, stop,
                        listener, reads, readers, clock);
        CheckpointWriter writer = new CheckpointWriter(shard, checkpoint, checkpointWriters, listener, clock);
        ShardConsumer consumer = new ShardConsumer(shard, supplier, processor, settings, writer, stop, listener, reads,
                readers, clock);
        CompletableFuture<Void> ended = consumer.finished().whenComplete((done, failure) -> {
            running.remove(shard);
            listener.stopped(shard.shardId());
        });
        running.put(shard, new Running(consumer, stop, ended));
        log.info("Consuming shard {} from {}", shard.shardId(), checkpoint != null
                ? "after its checkpoint " + checkpoint : shard.startingPosition() != null ? start + ", where it was reset to"
                        : start);
        consumer.start();
    }

    /**
     * Waits for the shard's reader to finish its batch and checkpoint. The coordinator releases the lease after its
     * shutdown grace even if a processor is still busy; that processor's later checkpoint is then refused. For a reset,
     * the reader stops after the batch in flight without a checkpoint, which would be refused: the shard is read again
     * from the reset position.
     */
    @Override
    public void leaseEnding(OwnedShard shard, EndReason reason) {
        Running consumer = running.get(shard);
        if (consumer != null) {
            consumer.consumer().markEnding();
            if (reason == EndReason.RESET) {
                consumer.stop().abandon();
            }
            else {
                consumer.stop().stopGracefully();
            }
            awaitEnd(consumer.ended());
        }
    }

    @Override
    public void leaseLost(OwnedShard shard) {
        Running consumer = running.get(shard);
        if (consumer != null) {
            consumer.stop().abandon();
        }
    }

    /** How the shards are read. */
    public Retrieval retrieval() {
        return settings.retrieval();
    }

    /** The enhanced fan-out consumer read through, once found or registered; {@code null} when polling or before. */
    public @Nullable String consumerArn() {
        return fanOutConsumer == null ? null : fanOutConsumer.arn();
    }

    /**
     * Ends the threads that read and checkpoint, once the coordinator has stopped (its stop ended every shard's
     * reader): idle ones at once, instead of a minute later. Spring calls it when the context closes.
     */
    @Override
    public void close() {
        readers.close();
        if (checkpointWriters instanceof ExecutorService writers) {
            writers.shutdown();
        }
    }

    /** The threads the shards are read on: their model, the pool's size, reads under way and waiting for a thread. */
    public ReaderThreadsStatus readerThreads() {
        return readers.status();
    }

    /** What each shard's consumer has done, by shard id. */
    public Map<String, ShardConsumerStatus> status() {
        Map<String, ShardConsumerStatus> status = new TreeMap<>();
        running.forEach((shard, consumer) -> status.put(shard.shardId(), consumer.consumer().status()));
        return status;
    }

    /**
     * Where a shard without a checkpoint starts: where an operator reset it to; else the initial position, but a child
     * whose parent is still listed starts at its beginning (see {@link InitialPosition}).
     */
    private StartingPosition startingPositionOf(OwnedShard shard) {
        if (shard.startingPosition() != null) {
            return shard.startingPosition();
        }
        boolean parentRead = shard.parentIds().stream().anyMatch(shardSource::listed);
        return (parentRead ? settings.initialPosition().forChildOfFinishedParent() : settings.initialPosition())
                .toStartingPosition();
    }

    private static Thread named(Thread thread, String name) {
        thread.setName(name);
        return thread;
    }

    private static void awaitEnd(CompletableFuture<Void> ended) {
        try {
            ended.get();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException failed) {
            // the reader failed, and said so; it has ended all the same
        }
    }

    /** Builds a {@link KinesisConsumer}: the client, the settings and a processor are required. */
    public static final class Builder {

        private @Nullable KinesisClient kinesisClient;
        private @Nullable KinesisAsyncClient kinesisAsyncClient;
        private @Nullable KinesisConsumerSettings settings;
        private @Nullable CheckpointingRecordProcessor processor;
        private boolean processorCheckpoints;
        private ShardConsumerListener listener = new ShardConsumerListener() { };
        private MonotonicClock clock = MonotonicClock.SYSTEM;
        private @Nullable ThreadFactory threadFactory;
        private int readerThreads = DEFAULT_READER_THREADS;

        private Builder() {
        }

        public Builder kinesisClient(KinesisClient kinesisClient) {
            this.kinesisClient = kinesisClient;
            return this;
        }

        /**
         * The async client that subscribes to shards, required for {@link Retrieval#FAN_OUT}: built on an HTTP/2 client
         * ({@code NettyNioAsyncHttpClient} with {@code Protocol.HTTP2}), with room for a subscription per shard held.
         */
        public Builder kinesisAsyncClient(KinesisAsyncClient kinesisAsyncClient) {
            this.kinesisAsyncClient = kinesisAsyncClient;
            return this;
        }

        public Builder settings(KinesisConsumerSettings settings) {
            this.settings = settings;
            return this;
        }

        /** The processor; it checkpoints as the settings' {@link CheckpointMode} says. */
        public Builder processor(RecordProcessor processor) {
            this.processor = (records, checkpointer) -> processor.process(records);
            this.processorCheckpoints = false;
            return this;
        }

        /** A processor handed the shard's checkpointer: required with {@link CheckpointMode#MANUAL}. */
        public Builder checkpointingProcessor(CheckpointingRecordProcessor processor) {
            this.processor = processor;
            this.processorCheckpoints = true;
            return this;
        }

        /** Told what each shard consumer does, for metrics. Default: nobody. */
        public Builder listener(ShardConsumerListener listener) {
            this.listener = listener;
            return this;
        }

        /** The clock of the periodic checkpoints and of the pacing. Default {@link System#nanoTime()}. */
        public Builder clock(MonotonicClock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Makes the threads that read the shards (a new one for each turn: a read and the processing of its records)
         * and write their checkpoints: on Java 21 and later, a factory of virtual threads
         * ({@code Thread.ofVirtual().factory()}), so that reads waiting on Kinesis or on the processor hold no platform
         * thread. Default: none; the shards are read on a pool of {@link #readerThreads} platform threads.
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = threadFactory;
            return this;
        }

        /**
         * Without a {@link #threadFactory}: how many platform threads read the shards held, in turns. A shard holds a
         * thread while its read and the processing of what it returned are under way (and while a failed batch waits
         * for its retry), none between reads; the threads do not grow with the shards held. Size it to the reads
         * under way at once: reads a second times the time a read and its processing take. A quarter as many (at least
         * 4) write the checkpoints. Default 64.
         */
        public Builder readerThreads(int readerThreads) {
            this.readerThreads = readerThreads;
            return this;
        }

        /** @throws InvalidSettingException naming the first setting that is missing */
        public KinesisConsumer build() {
            require(kinesisClient != null, "kinesisClient");
            require(settings != null, "settings");
            require(processor != null, "processor");
            if (readerThreads < 1) {
                throw new InvalidSettingException("readerThreads", readerThreads, "1 or more");
            }
            if (settings.retrieval() == Retrieval.FAN_OUT && kinesisAsyncClient == null) {
                throw new InvalidSettingException("kinesisAsyncClient", null, "set when the retrieval is FAN_OUT: "
                        + "enhanced fan-out subscribes to shards over HTTP/2");
            }
            if (settings.checkpointMode() == CheckpointMode.MANUAL && !processorCheckpoints) {
                throw new InvalidSettingException("processor", "a RecordProcessor", "a CheckpointingRecordProcessor "
                        + "when the checkpoint mode is MANUAL: nothing else would ever checkpoint");
            }
            return new KinesisConsumer(this);
        }

        private static void require(boolean set, String setting) {
            if (!set) {
                throw new InvalidSettingException(setting, null, "set");
            }
        }
    }
}
