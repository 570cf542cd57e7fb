package dev.checkpoint.autoconfigure;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a {@code checkpoint.*} property whose value is none of its choices, listing them as the documentation and
 * the IDE write them ({@code trim-horizon}, {@code at-timestamp}), where Boot's own analysis lists the Java constants
 * ({@code TRIM_HORIZON}). Runs before Boot's, and leaves every other binding failure to it.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnknownCheckpointValueFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        ConfigurationProperty property = cause.getProperty();
        Class<?> type = cause.getTarget().getType().resolve();
        if (property == null || type == null || !type.isEnum() || !property.getName().toString().startsWith("checkpoint.")) {
            return null;
        }
        String name = property.getName().toString();
        String choices = Arrays.stream(type.getEnumConstants())
                .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        return new FailureAnalysis("Invalid value '" + property.getValue() + "' for property '" + name + "': it is none of "
                + choices, "Set " + name + " to one of: " + choices + ".", cause);
    }
}
