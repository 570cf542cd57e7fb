package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.checkpoint.Lease;
import dev.checkpoint.kinesis.Workers.Worker;
import dev.checkpoint.testsupport.VirtualThreadFactories;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A worker given virtual threads reads its shards, renews its leases and checkpoints on them, and processes every
 * record once. Run on Java 25 by the build (the {@code virtual-threads} tag), against kinesis-local and dynalite.
 */
@Tag("virtual-threads")
@ParameterizedClass(name = "{0}")
@EnumSource(Retrieval.class)
class VirtualThreadsTests {

    @Parameter
    Retrieval retrieval;

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void shardsAreReadCheckpointedAndRenewedOnVirtualThreads() throws Exception {
        Set<String> processingThreads = ConcurrentHashMap.newKeySet();
        try (Workers workers = new Workers(4, retrieval).onVirtualThreads(VirtualThreadFactories.named("virtual-"))) {
            List<String> put = workers.kinesis.put(workers.stream, "v", 40);
            Worker worker = workers.start("virtual", settings -> settings, recording -> (records, checkpointer) -> {
                Thread thread = Thread.currentThread();
                processingThreads.add(VirtualThreadFactories.isVirtual(thread) + " " + thread.getName());
                recording.process(records, checkpointer);
            }, workers.kinesis.client());

            workers.awaitProcessed(put, LIMIT);
            await().atMost(LIMIT).until(() -> workers.rows().values().stream().allMatch(lease -> lease.checkpoint() != null));

            assertThat(processingThreads).isNotEmpty().allMatch(thread -> thread.startsWith("true checkpoint-kinesis-"));
            assertThat(worker.coordinator.renewalThreads().model()).isEqualTo("virtual");
            assertThat(worker.consumer.readerThreads().model()).isEqualTo("virtual");
            assertThat(workers.rows().values()).extracting(Lease::owner).containsOnly("virtual");
            workers.assertNoDuplicatesUnlessALeaseWasLost();
        }
    }
}
