package dev.checkpoint.autoconfigure;

import java.util.function.UnaryOperator;

import dev.checkpoint.InvalidSettingException;
import org.jspecify.annotations.Nullable;

/** A checkpoint property has a value that cannot work; start-up stops with a message naming it. */
public class InvalidCheckpointPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final transient @Nullable Object value;
    private final String action;

    public InvalidCheckpointPropertyException(String property, @Nullable Object value, String problem, String action) {
        super("Invalid value '" + value + "' for property '" + property + "': " + problem);
        this.property = property;
        this.value = value;
        this.action = action;
    }

    /**
     * A core builder's refusal said in the properties' terms.
     *
     * @param property the property of the setting refused
     * @param propertyOfSetting the property of each other setting the requirement names
     */
    public static InvalidCheckpointPropertyException of(InvalidSettingException invalid, String property,
            UnaryOperator<String> propertyOfSetting) {
        String requirement = invalid.getRequirement(propertyOfSetting);
        return new InvalidCheckpointPropertyException(property, invalid.getValue(), "must be " + requirement,
                "Set " + property + " to a value that is " + requirement + ".");
    }

    /** The property, such as {@code checkpoint.lease-duration}. */
    public String getProperty() {
        return property;
    }

    public @Nullable Object getValue() {
        return value;
    }

    /** What to change. */
    public String getAction() {
        return action;
    }
}
