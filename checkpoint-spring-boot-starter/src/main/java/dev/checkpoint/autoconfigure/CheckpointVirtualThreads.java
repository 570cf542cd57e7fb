package dev.checkpoint.autoconfigure;

import java.util.concurrent.ThreadFactory;

import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Virtual threads for checkpoint's renewals and shard readers, defined when the application runs on them
 * ({@code spring.threads.virtual.enabled=true} on Java 21 and later). Without this bean, they run on platform threads.
 */
public class CheckpointVirtualThreads {

    /** A factory of virtual threads named {@code prefix} and a number. */
    public ThreadFactory named(String prefix) {
        return new VirtualThreadTaskExecutor(prefix).getVirtualThreadFactory();
    }
}
