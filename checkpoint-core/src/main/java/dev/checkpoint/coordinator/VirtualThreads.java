package dev.checkpoint.coordinator;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

import dev.checkpoint.InvalidSettingException;

/** Checks that a thread factory makes virtual threads, from code built for Java 17, where there are none. */
public final class VirtualThreads {

    private VirtualThreads() {
    }

    /**
     * @throws InvalidSettingException naming {@code setting} when {@code factory} makes platform threads, or this JVM
     *         has no virtual threads (before Java 21)
     */
    public static void require(ThreadFactory factory, String setting) {
        Method isVirtual;
        try {
            isVirtual = Thread.class.getMethod("isVirtual");
        }
        catch (NoSuchMethodException beforeJava21) {
            throw new InvalidSettingException(setting, factory, "a factory of virtual threads, which need Java 21 or "
                    + "later (this is Java " + Runtime.version().feature() + ")");
        }
        Thread made = factory.newThread(() -> { });
        boolean virtual;
        try {
            virtual = (Boolean) isVirtual.invoke(made);
        }
        catch (ReflectiveOperationException unexpected) {
            throw new IllegalStateException("Thread.isVirtual() could not be called", unexpected);
        }
        if (!virtual) {
            throw new InvalidSettingException(setting, factory, "a factory of virtual threads, not platform threads");
        }
    }
}
