package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where reading resumes after a checkpoint: which records are past it. */
class PositionTests {

    @Test
    void aRecordThatIsNoAggregateIsNotPastTheKclsCheckpointOfIt() {
        Position kclCheckpoint = new Position("42", 0L);   // the KCL checkpoints a plain record with sub-sequence 0

        assertThat(new Position("42", null).isPast(kclCheckpoint)).isFalse();
        assertThat(new Position("43", null).isPast(kclCheckpoint)).isTrue();
    }

    @Test
    void userRecordsOfAnAggregateArePastTheCheckpointInsideIt() {
        Position checkpoint = new Position("42", 1L);

        assertThat(new Position("42", 1L).isPast(checkpoint)).isFalse();
        assertThat(new Position("42", 2L).isPast(checkpoint)).isTrue();
        assertThat(new Position("42", null).isPast(new Position("41", null))).isTrue();
        assertThat(new Position("42", 0L).isPast(new Position("42", null))).as("a whole record checkpointed").isFalse();
    }
}
