package dev.checkpoint.sample;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The visible work of the sample: how many events this instance processed, per key. */
public class EventCounts {

    private final Map<String, LongAdder> byKey = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    void record(String key) {
        byKey.computeIfAbsent(key, k -> new LongAdder()).increment();
        total.increment();
    }

    public long total() {
        return total.sum();
    }

    public Map<String, Long> byKey() {
        Map<String, Long> snapshot = new TreeMap<>();
        byKey.forEach((key, count) -> snapshot.put(key, count.sum()));
        return snapshot;
    }
}
