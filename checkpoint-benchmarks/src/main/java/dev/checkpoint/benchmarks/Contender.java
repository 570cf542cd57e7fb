package dev.checkpoint.benchmarks;

import java.util.Map;

import dev.checkpoint.testsupport.RequestCounter;

/**
 * One library (or the raw SDK) on its own tables: the operations it has, the HTTP client it used, and a count of
 * every DynamoDB request it sent.
 *
 * @param kind what it is: floor, ours (on a client without retries of its own, as the starter builds it), ours on an
 *        application's client that retries on its own (as Spring Cloud AWS's does), KCL, Spring Cloud AWS, seed
 */
record Contender(String name, Kind kind, String httpClient, RequestCounter requests, Map<Operation, Op> operations) {

    enum Kind {
        FLOOR, OURS, OURS_ON_RETRYING_CLIENT, KCL, SPRING_CLOUD_AWS, SEED
    }
}
