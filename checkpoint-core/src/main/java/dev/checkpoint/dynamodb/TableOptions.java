package dev.checkpoint.dynamodb;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.checkpoint.InvalidSettingException;

/**
 * What a lease table the library creates gets besides its key, for those whose infrastructure rules ask for it:
 * tags, deletion protection, encryption at rest and point-in-time recovery. None of it is applied to a table that
 * exists already: a table owned by infrastructure as code keeps what its owner gave it.
 *
 * @param tags tags, by key
 * @param deletionProtection whether DeleteTable is refused
 * @param encryption how the table is encrypted at rest
 * @param pointInTimeRecovery whether continuous backups are kept (one UpdateContinuousBackups after creation)
 */
public record TableOptions(Map<String, String> tags, boolean deletionProtection, TableEncryption encryption,
        boolean pointInTimeRecovery) {

    /** DynamoDB's defaults: no tags, no deletion protection, its own key, no continuous backups. */
    public static final TableOptions DEFAULTS = new TableOptions(Map.of(), false, TableEncryption.awsOwned(), false);

    public TableOptions {
        tags = Map.copyOf(tags);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link TableOptions}; everything is DynamoDB's default unless set. */
    public static final class Builder {

        private final Map<String, String> tags = new LinkedHashMap<>();
        private boolean deletionProtection;
        private TableEncryption encryption = TableEncryption.awsOwned();
        private boolean pointInTimeRecovery;

        private Builder() {
        }

        /** A tag: a key of 1 to 128 characters, a value of up to 256. */
        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public Builder tags(Map<String, String> tags) {
            this.tags.putAll(tags);
            return this;
        }

        public Builder deletionProtection(boolean deletionProtection) {
            this.deletionProtection = deletionProtection;
            return this;
        }

        public Builder encryption(TableEncryption encryption) {
            this.encryption = encryption;
            return this;
        }

        public Builder pointInTimeRecovery(boolean pointInTimeRecovery) {
            this.pointInTimeRecovery = pointInTimeRecovery;
            return this;
        }

        /** @throws InvalidSettingException naming a tag DynamoDB would refuse */
        public TableOptions build() {
            tags.forEach((key, value) -> {
                if (key == null || key.isEmpty() || key.length() > 128) {
                    throw new InvalidSettingException("tags", key, "a key of 1 to 128 characters");
                }
                if (value == null || value.length() > 256) {
                    throw new InvalidSettingException("tags", key + "=" + value, "a value of up to 256 characters");
                }
            });
            if (encryption == null) {
                throw new InvalidSettingException("encryption", null, "set");
            }
            return new TableOptions(tags, deletionProtection, encryption, pointInTimeRecovery);
        }
    }
}
