package dev.checkpoint.dynamodb;

import java.io.IOException;
import java.io.UncheckedIOException;

import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Tells a failure worth retrying (throttling, a timeout, a server error, a broken connection) from one that is not. */
final class TransientErrors {

    private TransientErrors() {
    }

    static boolean isRetryable(Throwable failure) {
        if (failure instanceof ConditionalCheckFailedException) {
            return false;
        }
        if (failure instanceof SdkServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500 || service.retryable();
        }
        if (failure instanceof ApiCallAttemptTimeoutException || failure instanceof ApiCallTimeoutException) {
            return true;
        }
        if (failure instanceof SdkClientException client) {
            return client.retryable() || hasIoCause(client);
        }
        return false;
    }

    static boolean isThrottling(Throwable failure) {
        return failure instanceof SdkServiceException service && service.isThrottlingException();
    }

    private static boolean hasIoCause(Throwable failure) {
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }
}
