package dev.checkpoint;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A builder setting that is missing or out of range. It names the setting, as the builder's method is named, and
 * what the setting must be, so that a layer with names of its own (the Spring Boot starter's properties) can say the
 * same in its terms, without checking the settings a second time.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private static final Pattern REFERENCE = Pattern.compile("\\{(\\w+)}");

    private final String setting;
    private final transient @Nullable Object value;
    private final String requirement;

    /**
     * @param setting the builder method's name, such as {@code leaseDuration}
     * @param value the value given, or {@code null}
     * @param requirement what it must be, naming any other setting as <code>{name}</code>, such as
     *        <code>"below half of {leaseDuration} (PT10S)"</code>
     */
    public InvalidSettingException(String setting, @Nullable Object value, String requirement) {
        super(setting + " must be " + render(requirement, UnaryOperator.identity()) + ", was " + value);
        this.setting = setting;
        this.value = value;
        this.requirement = requirement;
    }

    /** The setting, as the builder's method is named. */
    public String getSetting() {
        return setting;
    }

    /** The value given, or {@code null} when there was none. */
    public @Nullable Object getValue() {
        return value;
    }

    /** What the setting must be, with other settings named by {@code names}: {@code leaseDuration} → its name there. */
    public String getRequirement(UnaryOperator<String> names) {
        return render(requirement, names);
    }

    private static String render(String requirement, UnaryOperator<String> names) {
        Matcher reference = REFERENCE.matcher(requirement);
        StringBuilder rendered = new StringBuilder();
        while (reference.find()) {
            reference.appendReplacement(rendered, Matcher.quoteReplacement(names.apply(reference.group(1))));
        }
        return reference.appendTail(rendered).toString();
    }
}
