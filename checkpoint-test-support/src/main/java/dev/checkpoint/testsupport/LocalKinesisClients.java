package dev.checkpoint.testsupport;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.utils.AttributeMap;

/** Clients of a local kinesis-local for enhanced fan-out, in tests. */
public final class LocalKinesisClients {

    private LocalKinesisClients() {
    }

    /**
     * An async client of the server's HTTPS port over HTTP/2, as enhanced fan-out needs: ALPN chooses the protocol
     * (without it the server closes the connection), and the server's self-signed certificate is trusted, in tests
     * only. Closing it closes its HTTP client too (the SDK leaves open one it was handed), so that its subscriptions'
     * connections close, as a process's would when it dies.
     */
    public static KinesisAsyncClient asyncClient(LocalAwsServer server, ExecutionInterceptor... interceptors) {
        SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2)
                .protocolNegotiation(ProtocolNegotiation.ALPN).maxConcurrency(500)
                .buildWithDefaults(AttributeMap.builder()
                        .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE).build());
        KinesisAsyncClient client = KinesisAsyncClient.builder().endpointOverride(server.tlsEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(override -> override.executionInterceptors(List.of(interceptors)))
                .httpClient(http).build();
        return (KinesisAsyncClient) Proxy.newProxyInstance(KinesisAsyncClient.class.getClassLoader(),
                new Class<?>[] {KinesisAsyncClient.class}, (proxy, method, arguments) -> {
                    try {
                        Object result = method.invoke(client, arguments);
                        if (method.getName().equals("close")) {
                            http.close();
                        }
                        return result;
                    }
                    catch (InvocationTargetException failed) {
                        throw failed.getCause();
                    }
                });
    }
}
