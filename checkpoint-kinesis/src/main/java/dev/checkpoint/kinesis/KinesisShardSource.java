package dev.checkpoint.kinesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.checkpoint.coordinator.Shard;
import dev.checkpoint.coordinator.ShardSource;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * The stream's shards from {@code ListShards}, every page, each with its parents (the parent of a split, both parents
 * of a merge), so that the coordinator starts a child only once its parents are finished. The stream is named by its
 * ARN when one is given.
 */
public final class KinesisShardSource implements ShardSource {

    private final KinesisClient kinesis;
    private final StreamId stream;
    private final ReadOutcomes listings;
    private volatile Set<String> lastListed = Set.of();
    /** The shards of the last listing that are parents of another: closed by a split or a merge. */
    private volatile Set<String> lastParents = Set.of();
    private volatile boolean streamMissing;

    KinesisShardSource(KinesisClient kinesis, StreamId stream, ReadOutcomes listings) {
        this.listings = listings;
        this.kinesis = kinesis;
        this.stream = stream;
    }

    @Override
    public List<Shard> listShards() {
        List<Shard> shards = new ArrayList<>();
        @Nullable String nextToken = null;
        do {
            // A page after the first is named by its token alone: ListShards refuses the stream beside it.
            ListShardsRequest request = nextToken == null
                    ? stream.listShards(ListShardsRequest.builder()).build()
                    : ListShardsRequest.builder().nextToken(nextToken).build();
            ListShardsResponse page = list(request);
            page.shards().forEach(shard -> shards.add(Shard.withParents(shard.shardId(), shard.parentShardId(),
                    shard.adjacentParentShardId())));
            nextToken = page.nextToken();
        }
        while (nextToken != null);
        lastListed = shards.stream().map(Shard::id).collect(Collectors.toUnmodifiableSet());
        lastParents = shards.stream().flatMap(shard -> shard.parentIds().stream()).collect(Collectors.toUnmodifiableSet());
        listings.succeeded(null);
        streamMissing = false;
        return shards;
    }

    private ListShardsResponse list(ListShardsRequest request) {
        try {
            return kinesis.listShards(request);
        }
        catch (RuntimeException failure) {
            streamMissing = failure instanceof ResourceNotFoundException;
            listings.failed(failure.toString());
            throw failure;
        }
    }

    /** The last failure of the stream's listing, while it fails (a stream that does not exist, say); else {@code null}. */
    public @Nullable String listingError() {
        return listings.lastError();
    }

    /** How long the listing has been failing, or {@code null} while it works. */
    public @Nullable Duration listingFailingFor() {
        return listings.failingFor();
    }

    /** Whether the last listing was refused because the stream does not exist (a misspelled name, or none made yet). */
    public boolean streamMissing() {
        return streamMissing;
    }

    /**
     * The stream's ARN and creation time, from {@code DescribeStreamSummary}: the same for as long as the stream lives,
     * different for a stream deleted and created again under its name. In a lease table shared by consumer groups, the
     * group is bound to it.
     */
    @Override
    public String identity() {
        StreamDescriptionSummary summary = kinesis.describeStreamSummary(stream.describe(
                DescribeStreamSummaryRequest.builder()).build()).streamDescriptionSummary();
        return summary.streamARN() + " created " + summary.streamCreationTimestamp();
    }

    /** Whether the last listing had this shard: a parent still listed was read to its end before its child. */
    boolean listed(String shardId) {
        return lastListed.contains(shardId);
    }

    /** Whether the last listing had a child of this shard: it is closed, and ends once read to its last record. */
    boolean closed(String shardId) {
        return lastParents.contains(shardId);
    }

    /** The stream, by ARN or name. */
    public String stream() {
        return stream.toString();
    }
}
