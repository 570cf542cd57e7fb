package dev.checkpoint.benchmarks;

import java.nio.file.Path;

/**
 * Which run the build asked for: the full one ({@code -Pbenchmarks}, into {@code docs/benchmarks} unless
 * {@code benchmark.output} says otherwise) or the smoke run of every build (into {@code target/benchmarks}).
 */
final class BenchmarkMode {

    private BenchmarkMode() {
    }

    static boolean isFull() {
        return "full".equals(System.getProperty("benchmark.mode"));
    }

    static Path output() {
        return isFull() ? Path.of(System.getProperty("benchmark.output", "../docs/benchmarks")) : Path.of("target", "benchmarks");
    }
}
