package dev.checkpoint.testsupport;

import java.util.concurrent.ThreadFactory;

/**
 * Factories of virtual threads for tests built for Java 17 and run on Java 21 or later (the {@code virtual-threads}
 * tag, run on Java 25 by the build).
 */
public final class VirtualThreadFactories {

    private VirtualThreadFactories() {
    }

    /** {@code Thread.ofVirtual().name(prefix, 0).factory()}; fails the test on a JVM without virtual threads. */
    public static ThreadFactory named(String prefix) {
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        }
        catch (ReflectiveOperationException beforeJava21) {
            throw new AssertionError("virtual threads need Java 21 or later; this is Java "
                    + Runtime.version().feature(), beforeJava21);
        }
    }

    /** {@code thread.isVirtual()}, {@code false} before Java 21. */
    public static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        }
        catch (NoSuchMethodException beforeJava21) {
            return false;
        }
        catch (ReflectiveOperationException unexpected) {
            throw new AssertionError(unexpected);
        }
    }
}
