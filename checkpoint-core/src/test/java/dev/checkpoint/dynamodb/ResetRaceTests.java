package dev.checkpoint.dynamodb;

import static dev.checkpoint.StoreCalls.checkpoint;
import static dev.checkpoint.StoreCalls.take;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.ResetReceipt;
import dev.checkpoint.ShardResetException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.StartingPosition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A reset racing the owner's checkpoints, on dynalite, with real threads: the owner writes checkpoints back to back
 * while an operator resets the shard. Whatever the interleaving, no checkpoint sent after the reset landed is accepted,
 * the reset records the last checkpoint that did land, and the owner's take again applies it.
 */
class ResetRaceTests {

    private final DynamoDbClient client = Tables.client();

    /** One accepted or refused checkpoint write, with when it was sent and answered. */
    private record Write(long value, boolean accepted, long sentNanos, long answeredNanos) {
    }

    @ParameterizedTest(name = "reset after {0} ms of checkpoints")
    @ValueSource(ints = {0, 3, 10, 25, 60})
    void noCheckpointSentAfterTheResetLandsIsAcceptedAndTheResetKeepsTheLastOneThatLanded(int delayMillis)
            throws Exception {
        String table = Tables.newTableName();
        ManualMonotonicClock clock = new ManualMonotonicClock();
        LeaseStore owner = Tables.initialised(Tables.checkpointer(client, table, "owner", clock)).leaseStore();
        LeaseStore operator = Tables.checkpointer(client, table, "operator", new ManualMonotonicClock()).build().leaseStore();
        ShardStatus held = new ShardStatus("shard-1");
        take(owner, held);
        List<Write> writes = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread checkpointing = new Thread(() -> {
            for (long value = 1; ; value++) {
                ShardStatus write = new ShardStatus("shard-1");
                write.setCheckpoint(Long.toString(value));
                long sent = System.nanoTime();
                started.countDown();
                try {
                    checkpoint(owner, write);
                    writes.add(new Write(value, true, sent, System.nanoTime()));
                }
                catch (ShardResetException refused) {
                    writes.add(new Write(value, false, sent, System.nanoTime()));
                    return;
                }
            }
        });
        checkpointing.start();
        started.await();
        TimeUnit.MILLISECONDS.sleep(delayMillis);

        ResetReceipt receipt = operator.requestReset("shard-1", StartingPosition.atSequenceNumber("5"), "alice");
        long resetLanded = System.nanoTime();
        checkpointing.join(10_000);

        assertThat(checkpointing.isAlive()).as("the owner's checkpoints stop at the reset").isFalse();
        List<Write> accepted = writes.stream().filter(Write::accepted).toList();
        assertThat(accepted).as("accepted after the reset had landed").noneMatch(write -> write.sentNanos() > resetLanded);
        String lastLanded = accepted.isEmpty() ? null : Long.toString(accepted.get(accepted.size() - 1).value());
        assertThat(receipt.fromCheckpoint()).isEqualTo(lastLanded);
        assertThat(operator.find("shard-1").checkpoint()).isEqualTo(lastLanded);

        ShardStatus again = new ShardStatus("shard-1");
        take(owner, again);
        assertThat(again.getCheckpoint()).isNull();
        assertThat(again.getStartingPosition()).isEqualTo(StartingPosition.atSequenceNumber("5"));
        ShardStatus stale = new ShardStatus("shard-1");
        stale.setCheckpoint(Long.toString(Long.MAX_VALUE));
        assertThat(writes.get(writes.size() - 1).accepted()).isFalse();
        assertThat(operator.find("shard-1").pendingReset()).isNull();
        assertThat(owner.find("shard-1").checkpoint()).isNull();
        try {
            checkpoint(owner, stale);   // the new handle may write: the reset is applied
        }
        catch (LeaseLostException unexpected) {
            throw new AssertionError("the owner could not checkpoint after the reset was applied", unexpected);
        }
        assertThat(owner.find("shard-1").checkpoint()).isEqualTo(stale.getCheckpoint());
        assertThat(owner.find("shard-1").startingPosition()).isNull();
    }
}
