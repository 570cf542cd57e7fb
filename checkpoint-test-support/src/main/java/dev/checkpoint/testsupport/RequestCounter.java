package dev.checkpoint.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Counts the HTTP requests a client sends, by DynamoDB operation (retries count as requests), and the read units the
 * answers of its reads cost by DynamoDB's rules for consistent reads: a Scan or Query page 1 unit per 4 KB of the
 * items it returns (at least 1), a GetItem or each item of a BatchGetItem 1 unit per 4 KB of the item (at least 1).
 * Item sizes are estimated as DynamoDB counts them: attribute names plus values.
 */
public final class RequestCounter implements ExecutionInterceptor {

    private static final double UNIT_BYTES = 4096;

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final AtomicLong itemsRead = new AtomicLong();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        counts.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), name -> new AtomicInteger())
                .incrementAndGet();
    }

    @Override
    public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
        Object response = context.response();
        if (response instanceof ScanResponse scan) {
            readUnits.add(pageUnits(scan.items()));
            itemsRead.addAndGet(scan.items().size());
        }
        else if (response instanceof QueryResponse query) {
            readUnits.add(pageUnits(query.items()));
            itemsRead.addAndGet(query.items().size());
        }
        else if (response instanceof GetItemResponse get) {
            readUnits.add(itemUnits(get.hasItem() ? get.item() : Map.of()));
            itemsRead.addAndGet(get.hasItem() ? 1 : 0);
        }
        else if (response instanceof BatchGetItemResponse batch) {
            batch.responses().values().forEach(items -> items.forEach(item -> {
                readUnits.add(itemUnits(item));
                itemsRead.incrementAndGet();
            }));
        }
    }

    /** Items the reads answered since the last reset returned. */
    public long itemsRead() {
        return itemsRead.get();
    }

    /** Read units the reads answered since the last reset cost, consistent reads. */
    public double readUnits() {
        return readUnits.sum();
    }

    private static double pageUnits(List<Map<String, AttributeValue>> items) {
        long bytes = 0;
        for (Map<String, AttributeValue> item : items) {
            bytes += size(item);
        }
        return Math.max(1, Math.ceil(bytes / UNIT_BYTES));
    }

    private static double itemUnits(Map<String, AttributeValue> item) {
        return Math.max(1, Math.ceil(size(item) / UNIT_BYTES));
    }

    /** An item's size as DynamoDB counts it: the UTF-8 lengths of the attribute names and values. */
    static long size(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            bytes += attribute.getKey().getBytes(StandardCharsets.UTF_8).length + size(attribute.getValue());
        }
        return bytes;
    }

    private static long size(AttributeValue value) {
        if (value.s() != null) {
            return value.s().getBytes(StandardCharsets.UTF_8).length;
        }
        if (value.n() != null) {
            return value.n().length() / 2 + 1;
        }
        if (value.hasM()) {
            return 3 + size(value.m());
        }
        return 1;
    }

    /** Requests sent since the last reset, by operation name, such as {@code UpdateItem}. */
    public Map<String, Integer> counts() {
        Map<String, Integer> snapshot = new TreeMap<>();
        counts.forEach((operation, count) -> snapshot.put(operation, count.get()));
        return snapshot;
    }

    public int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public void reset() {
        counts.clear();
        readUnits.reset();
        itemsRead.set(0);
    }
}
