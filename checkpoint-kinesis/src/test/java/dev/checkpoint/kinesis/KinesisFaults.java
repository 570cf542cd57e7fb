package dev.checkpoint.kinesis;

import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;

/** Fails a Kinesis client's {@code GetRecords} calls on demand: throttling, an expired iterator, or every one refused. */
final class KinesisFaults implements ExecutionInterceptor {

    private final AtomicInteger throttles = new AtomicInteger();
    private final AtomicInteger expiries = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();
    private volatile boolean refusing;

    /** The next {@code count} attempts of {@code GetRecords} are throttled (the SDK's own retries count too). */
    void throttleNext(int count) {
        throttles.set(count);
    }

    /** The next {@code GetRecords} finds its iterator expired. */
    void expireNextIterator() {
        expiries.set(1);
    }

    /** Every {@code GetRecords} is refused, as for credentials that lack the right, until {@code false}. */
    void refuseReads(boolean refuse) {
        refusing = refuse;
    }

    int injected() {
        return injected.get();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof GetRecordsRequest)) {
            return;
        }
        if (refusing) {
            injected.incrementAndGet();
            throw KinesisException.builder().message("injected: not authorized to GetRecords").statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                            .errorMessage("injected").serviceName("Kinesis").build())
                    .build();
        }
        if (takeOne(throttles)) {
            injected.incrementAndGet();
            throw ProvisionedThroughputExceededException.builder().message("injected: rate exceeded").statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                            .errorMessage("injected").serviceName("Kinesis").build())
                    .build();
        }
        if (takeOne(expiries)) {
            injected.incrementAndGet();
            throw ExpiredIteratorException.builder().message("injected: iterator expired").statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ExpiredIteratorException")
                            .errorMessage("injected").serviceName("Kinesis").build())
                    .build();
        }
    }

    private static boolean takeOne(AtomicInteger remaining) {
        return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
