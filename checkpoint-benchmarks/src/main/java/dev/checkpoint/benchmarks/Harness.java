package dev.checkpoint.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures every case (operation × contender × thread count) in several rounds, the cases of a round in a fresh
 * random order, so that a slow moment of the machine or the server hits every contender alike. Counts the
 * DynamoDB requests of each operation apart, on one thread, from the contender's own interceptor.
 */
final class Harness {

    private static final Logger log = LoggerFactory.getLogger(Harness.class);

    /**
     * How long and how often.
     *
     * @param listingsOnOneThread whether listings are measured on one thread only: a call of a 10,000-row listing takes
     *        seconds, and eight at once most of a smoke run
     */
    record Settings(int rounds, Duration perCase, Duration warmUp, List<Integer> threads, int countedCalls,
            boolean listingsOnOneThread) {

        static final Settings SMOKE = new Settings(1, Duration.ofMillis(100), Duration.ofMillis(50), List.of(1, 8), 5, true);
        static final Settings FULL = new Settings(3, Duration.ofSeconds(2), Duration.ofSeconds(1), List.of(1, 8), 50, false);
    }

    /** One measured case. */
    record Case(Operation operation, Contender contender, int threads) {
    }

    /**
     * What was measured: ops per second of each round, the client's CPU time per call of each round (microseconds of
     * the calling thread's CPU inside the timed call: the SDK's marshalling and HTTP work, and ours around it), and
     * requests per call.
     */
    record Result(Case measured, List<Double> opsPerSecond, List<Double> cpuMicrosPerCall, double requestsPerCall) {

        double medianCpuMicros() {
            List<Double> sorted = cpuMicrosPerCall.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        double median() {
            List<Double> sorted = opsPerSecond.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        double min() {
            return opsPerSecond.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }

        double max() {
            return opsPerSecond.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }
    }

    private final Settings settings;
    private final Random random = new Random(42);

    Harness(Settings settings) {
        this.settings = settings;
    }

    List<Result> run(List<Contender> contenders) throws Exception {
        int maxThreads = settings.threads().stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<Case> cases = new ArrayList<>();
        Map<Case, Double> requests = new ConcurrentHashMap<>();
        for (Contender contender : contenders) {
            for (Map.Entry<Operation, Op> entry : contender.operations().entrySet()) {
                for (int thread = 0; thread < maxThreads; thread++) {
                    entry.getValue().setUp(thread);
                }
                // A listing's requests are its pages, the same at every call: one counted call is exact, and each
                // call of a 10,000-row listing costs seconds.
                double perCall = countRequests(contender, entry.getValue(),
                        entry.getKey().isListing() ? 1 : settings.countedCalls());
                for (int threads : settings.threads()) {
                    if (threads > 1 && settings.listingsOnOneThread() && entry.getKey().isListing()) {
                        continue;
                    }
                    Case measured = new Case(entry.getKey(), contender, threads);
                    cases.add(measured);
                    requests.put(measured, perCall);
                }
            }
        }
        for (Case warm : cases) {
            measure(warm, settings.warmUp());
        }
        Map<Case, List<Double>> rounds = new ConcurrentHashMap<>();
        Map<Case, List<Double>> cpu = new ConcurrentHashMap<>();
        for (int round = 1; round <= settings.rounds(); round++) {
            List<Case> order = new ArrayList<>(cases);
            Collections.shuffle(order, random);
            for (Case measured : order) {
                double[] rateAndCpu = measure(measured, settings.perCase());
                rounds.computeIfAbsent(measured, ignored -> new ArrayList<>()).add(rateAndCpu[0]);
                cpu.computeIfAbsent(measured, ignored -> new ArrayList<>()).add(rateAndCpu[1]);
            }
            log.info("Round {} of {} done", round, settings.rounds());
        }
        return cases.stream().map(measured -> new Result(measured, rounds.get(measured), cpu.get(measured),
                requests.get(measured))).toList();
    }

    private double countRequests(Contender contender, Op op, int calls) throws Exception {
        int counted = 0;
        for (int call = 0; call < calls; call++) {
            op.before(0);
            int start = contender.requests().total();
            op.timed(0);
            counted += contender.requests().total() - start;
            op.after(0);
        }
        return counted / (double) calls;
    }

    /**
     * Aggregate operations per second (each thread's calls over its own time in the timed call, summed), and the
     * calling threads' CPU time per call in microseconds (all threads' CPU in the timed calls over all calls).
     */
    private double[] measure(Case measured, Duration duration) throws Exception {
        Op op = measured.contender().operations().get(measured.operation());
        CyclicBarrier start = new CyclicBarrier(measured.threads());
        double[] perThread = new double[measured.threads()];
        long[] cpuPerThread = new long[measured.threads()];
        long[] callsPerThread = new long[measured.threads()];
        ThreadMXBean cpuClock = ManagementFactory.getThreadMXBean();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < measured.threads(); t++) {
            int thread = t;
            Thread runner = new Thread(() -> {
                try {
                    start.await();
                    long deadline = System.nanoTime() + duration.toNanos();
                    long calls = 0;
                    long timedNanos = 0;
                    long cpuNanos = 0;
                    do {
                        op.before(thread);
                        long cpuBegin = cpuClock.getCurrentThreadCpuTime();
                        long begin = System.nanoTime();
                        op.timed(thread);
                        timedNanos += System.nanoTime() - begin;
                        cpuNanos += cpuClock.getCurrentThreadCpuTime() - cpuBegin;
                        calls++;
                        op.after(thread);
                    }
                    while (System.nanoTime() < deadline);
                    perThread[thread] = calls / (timedNanos / 1e9);
                    cpuPerThread[thread] = cpuNanos;
                    callsPerThread[thread] = calls;
                }
                catch (Exception failed) {
                    failure.compareAndSet(null, failed);
                }
            }, "bench-" + thread);
            threads.add(runner);
            runner.start();
        }
        for (Thread runner : threads) {
            runner.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(measured.operation() + " of " + measured.contender().name() + " failed: "
                    + failure.get(), failure.get());
        }
        double total = 0;
        long cpuNanos = 0;
        long calls = 0;
        for (int t = 0; t < perThread.length; t++) {
            total += perThread[t];
            cpuNanos += cpuPerThread[t];
            calls += callsPerThread[t];
        }
        return new double[] { total, cpuNanos / 1e3 / calls };
    }
}
