package dev.checkpoint.benchmarks;

import java.util.Map;

import dev.checkpoint.testsupport.RequestCounter;

/**
 * One library (or the raw SDK) on its own tables: the operations it has, the HTTP client it used, and a count of
 * every DynamoDB request it sent.
 *
 * @param kind what it is: floor, ours, KCL, Spring Cloud AWS, seed
 */
record Contender(String name, Kind kind, String httpClient, RequestCounter requests, Map<Operation, Op> operations) {

    enum Kind {
        FLOOR, OURS, KCL, SPRING_CLOUD_AWS, SEED
    }
}
