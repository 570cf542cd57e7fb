package dev.checkpoint.dynamodb;

import java.time.Duration;

/** Waits between attempts. Injected so that tests of retries and table polling need not wait. */
@FunctionalInterface
interface Sleeper {

    Sleeper THREAD = duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);

    void sleep(Duration duration) throws InterruptedException;
}
