package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryPolicyTests {

    @Test
    void delayDoublesUpToTheCapAndIsScaledByTheRandomDraw() {
        RetryPolicy highest = new RetryPolicy(10, () -> 1.0);

        assertThat(highest.delayBefore(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(highest.delayBefore(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(highest.delayBefore(5)).isEqualTo(Duration.ofMillis(800));
        assertThat(highest.delayBefore(6)).isEqualTo(Duration.ofMillis(1600));
        assertThat(highest.delayBefore(7)).isEqualTo(RetryPolicy.MAX_DELAY);
        assertThat(highest.delayBefore(60)).isEqualTo(RetryPolicy.MAX_DELAY);
        assertThat(new RetryPolicy(10, () -> 0.0).delayBefore(4)).isZero();
        assertThat(new RetryPolicy(10, () -> 0.25).delayBefore(3)).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void negativeRetriesAreRefused() {
        assertThatThrownBy(() -> new RetryPolicy(-1, () -> 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retries");
    }
}
