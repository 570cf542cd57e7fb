package dev.checkpoint.benchmarks;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client that answers every DynamoDB request at once, from memory, with success: a lease row held by
 * {@code owner} while {@link #answerWithRow} is on (a take asks for the row back), else an empty answer. With it, a
 * client's CPU per call is the SDK's and the caller's alone, without a server on the same cores.
 */
final class CannedHttpClient implements SdkHttpClient {

    private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TABLE = ("{\"Table\":{\"TableName\":\"cpu\",\"TableStatus\":\"ACTIVE\","
            + "\"KeySchema\":[{\"AttributeName\":\"ShardID\",\"KeyType\":\"HASH\"}],"
            + "\"AttributeDefinitions\":[{\"AttributeName\":\"ShardID\",\"AttributeType\":\"S\"}]}}")
            .getBytes(StandardCharsets.UTF_8);

    private final String owner;
    private volatile byte[] row = EMPTY;

    CannedHttpClient(String owner) {
        this.owner = owner;
    }

    /** From now on, answer with {@code shardId}'s row held by the owner, as a take asks for; {@code null}: nothing. */
    void answerWithRow(String shardId) {
        row = shardId == null ? EMPTY : ("{\"Attributes\":{\"ShardID\":{\"S\":\"" + shardId + "\"},\"AssignedTo\":{\"S\":\""
                + owner + "\"},\"LeaseTimeout\":{\"S\":\"2026-11-30T01:30:00.123456789Z\"},\"LeaseCounter\":{\"N\":\"7\"},"
                + "\"Checkpoint\":{\"S\":\"49590338271490256608559692538361571095921575989136588898\"}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                boolean describe = request.httpRequest().firstMatchingHeader("X-Amz-Target")
                        .filter(target -> target.endsWith("DescribeTable")).isPresent();
                byte[] body = describe ? TABLE : row;
                SdkHttpResponse response = SdkHttpResponse.builder().statusCode(200)
                        .headers(Map.of("Content-Type", List.of("application/x-amz-json-1.0"),
                                "Content-Length", List.of(Integer.toString(body.length))))
                        .build();
                return HttpExecuteResponse.builder().response(response)
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public String clientName() {
        return "canned";
    }

    @Override
    public void close() {
    }
}
