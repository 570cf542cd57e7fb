package dev.checkpoint.autoconfigure;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Which property sets each setting of a core builder, so that a value the builder refuses is reported by its property:
 * a setting is its property's name in kebab case under a prefix, unless mapped otherwise. A setting no property sets is
 * reported by its own name. For the starter's auto-configurations; not an API.
 */
public final class SettingProperties implements UnaryOperator<String> {

    private final Map<String, String> properties = new HashMap<>();

    private SettingProperties() {
    }

    /** The {@code settings}, each set by {@code prefix} and its name in kebab case: {@code maxAttempts}, {@code max-attempts}. */
    public static SettingProperties under(String prefix, String... settings) {
        return new SettingProperties().and(prefix, settings);
    }

    /** More settings, under another prefix. */
    public SettingProperties and(String prefix, String... settings) {
        for (String setting : settings) {
            properties.put(setting, prefix + "." + kebab(setting));
        }
        return this;
    }

    @Override
    public String apply(String setting) {
        return properties.getOrDefault(setting, setting);
    }

    private static String kebab(String setting) {
        return setting.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
