package dev.checkpoint.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import dev.checkpoint.chaos.History.Checkpoint;
import dev.checkpoint.chaos.History.Hold;
import dev.checkpoint.chaos.History.Listening;
import dev.checkpoint.chaos.History.Outcome;
import dev.checkpoint.chaos.History.Renewal;
import dev.checkpoint.chaos.History.Reset;
import dev.checkpoint.chaos.History.Take;
import org.junit.jupiter.api.Test;

/** The checker catches each kind of violation in a hand-made history, and passes a clean one. */
class HistoryCheckerTests {

    private static final long MS = 1_000_000;
    private static final Duration BOUND = Duration.ofSeconds(2);

    private final HistoryChecker checker = new HistoryChecker(Duration.ofMillis(500));
    private final History history = new History();

    /** a holds s1 from 0 to 1000 ms and writes 1, 2; b takes over at 2000 ms and writes 3. */
    private void cleanHandOver() {
        history.takes.add(new Take("a", "s1", 10 * MS));
        history.holds.add(new Hold("a", "s1", 10 * MS, 1000 * MS));
        history.checkpoints.add(new Checkpoint("a", "s1", 1, 100 * MS, 110 * MS, Outcome.ACCEPTED));
        history.checkpoints.add(new Checkpoint("a", "s1", 2, 500 * MS, 510 * MS, Outcome.ACCEPTED));
        history.renewals.add(new Renewal("a", "s1", 700 * MS));
        history.takes.add(new Take("b", "s1", 2000 * MS));
        history.holds.add(new Hold("b", "s1", 2000 * MS, 3000 * MS));
        history.checkpoints.add(new Checkpoint("b", "s1", 3, 2100 * MS, 2110 * MS, Outcome.ACCEPTED));
    }

    @Test
    void cleanHistoryPasses() {
        cleanHandOver();

        assertThat(checker.check(history, Map.of("s1", 3L), Duration.ofSeconds(1), BOUND, true, 0)).isEmpty();
    }

    @Test
    void overlappingHoldsAreCaught() {
        cleanHandOver();
        history.holds.add(new Hold("a", "s1", 1900 * MS, 2050 * MS));

        assertThat(checker.check(history, Map.of("s1", 3L), Duration.ofSeconds(1), BOUND, true, 0))
                .singleElement().asString().startsWith("(a) overlap on s1");
    }

    @Test
    void aListenerToldOfItsLossAfterAnotherGainedTheShardIsCaught() {
        cleanHandOver();
        history.listening.add(new Listening("a", "s1", 10 * MS, 2020 * MS));
        history.listening.add(new Listening("b", "s1", 2010 * MS, 3000 * MS));

        assertThat(checker.check(history, Map.of("s1", 3L), Duration.ofSeconds(1), BOUND, true, 0))
                .singleElement().asString().startsWith("(f) two listeners of s1");
    }

    /** The case the listener's contract leaves out: its process stood still (longer than a lease) while the other gained. */
    @Test
    void aListenerOfAFrozenWorkerStillHavingTheShardIsExcusedOnlyWhileFrozen() {
        cleanHandOver();
        history.listening.add(new Listening("a", "s1", 10 * MS, 2020 * MS));
        history.listening.add(new Listening("b", "s1", 2010 * MS, 3000 * MS));
        history.freezes.add(new History.Freeze("a", 1500 * MS, 2005 * MS));
        assertThat(checker.twoListeners(history)).as("thawed before the other gained").hasSize(1);

        history.freezes.add(new History.Freeze("a", 1800 * MS, 3500 * MS));

        assertThat(checker.twoListeners(history)).isEmpty();
    }

    @Test
    void listenersOneAfterTheOtherPass() {
        cleanHandOver();
        history.listening.add(new Listening("a", "s1", 10 * MS, 1990 * MS));
        history.listening.add(new Listening("b", "s1", 2010 * MS, 3000 * MS));

        assertThat(checker.twoListeners(history)).isEmpty();
    }

    @Test
    void acceptedCheckpointFromAFencedOutWorkerIsCaught() {
        cleanHandOver();
        history.checkpoints.add(new Checkpoint("a", "s1", 4, 2500 * MS, 2510 * MS, Outcome.ACCEPTED));

        assertThat(checker.fencedWrites(history)).singleElement().asString()
                .startsWith("(b) fenced-out checkpoint accepted");
    }

    @Test
    void acceptedRenewalFromAFencedOutWorkerIsCaught() {
        cleanHandOver();
        history.renewals.add(new Renewal("a", "s1", 2600 * MS));

        assertThat(checker.fencedWrites(history)).singleElement().asString().startsWith("(b) fenced-out renewal accepted");
    }

    @Test
    void renewalAnsweredJustAfterATakeIsNotBlamed() {
        cleanHandOver();
        history.renewals.add(new Renewal("a", "s1", 2100 * MS));   // may have been sent before b's take

        assertThat(checker.fencedWrites(history)).isEmpty();
    }

    @Test
    void checkpointReplacedByAnOlderOneIsCaught() {
        cleanHandOver();
        history.checkpoints.add(new Checkpoint("b", "s1", 2, 2200 * MS, 2210 * MS, Outcome.ACCEPTED));

        assertThat(checker.lostCheckpoints(history, Map.of("s1", 2L))).first().asString()
                .startsWith("(c) accepted checkpoint replaced by an older one");
    }

    @Test
    void storedCheckpointThatIsNotTheLastAcceptedIsCaught() {
        cleanHandOver();

        assertThat(checker.lostCheckpoints(history, Map.of("s1", 2L))).singleElement().asString()
                .startsWith("(c) stored checkpoint of s1 is 2");
    }

    @Test
    void laterWriteOfUnknownOutcomeMayBeTheStoredOne() {
        cleanHandOver();
        history.checkpoints.add(new Checkpoint("b", "s1", 4, 2300 * MS, 4300 * MS, Outcome.UNKNOWN));

        assertThat(checker.lostCheckpoints(history, Map.of("s1", 4L))).isEmpty();
    }

    @Test
    void slowOrUnbalancedRecoveryIsCaught() {
        cleanHandOver();

        assertThat(checker.check(history, Map.of("s1", 3L), Duration.ofSeconds(3), BOUND, true, 0))
                .singleElement().asString().startsWith("(d) liveness: shards owned again after");
        assertThat(checker.check(history, Map.of("s1", 3L), null, BOUND, true, 0)).hasSize(1);
        assertThat(checker.check(history, Map.of("s1", 3L), Duration.ofSeconds(1), BOUND, false, 0))
                .singleElement().asString().startsWith("(d) liveness: not balanced");
    }

    @Test
    void aResetMayPutTheCheckpointBackButAWriteOfAHandleFromBeforeItIsCaught() {
        cleanHandOver();
        // an operator resets s1 to 1 between 2200 and 2210 ms; b takes the lease again and writes 1, 2 from a new handle
        history.resets.add(new Reset("s1", 1, 2200 * MS, 2210 * MS));
        history.checkpoints.add(new Checkpoint("b", "s1", 1, 2400 * MS, 2410 * MS, Outcome.ACCEPTED, 2300 * MS));
        history.checkpoints.add(new Checkpoint("b", "s1", 2, 2600 * MS, 2610 * MS, Outcome.ACCEPTED, 2300 * MS));

        assertThat(checker.check(history, Map.of("s1", 2L), Duration.ofSeconds(1), BOUND, true, 0)).isEmpty();

        // b's handle from before the reset (gained at 2000 ms) writes 4, sent after the reset surely landed
        history.checkpoints.add(new Checkpoint("b", "s1", 4, 2700 * MS, 2710 * MS, Outcome.ACCEPTED, 2000 * MS));
        assertThat(checker.writesAcrossResets(history)).singleElement().asString()
                .startsWith("(e) a checkpoint from before a reset was accepted after it");
        // and without a reset between them, going back is still caught
        history.checkpoints.add(new Checkpoint("b", "s1", 3, 2800 * MS, 2810 * MS, Outcome.ACCEPTED, 2300 * MS));
        assertThat(checker.lostCheckpoints(history, Map.of("s1", 3L))).singleElement().asString()
                .startsWith("(c) accepted checkpoint replaced by an older one");
    }

    @Test
    void aResetLeftPendingIsCaught() {
        cleanHandOver();

        assertThat(checker.check(history, Map.of("s1", 3L), Duration.ofSeconds(1), BOUND, true, 2))
                .singleElement().asString().startsWith("(d) liveness: 2 resets still pending");
    }
}
