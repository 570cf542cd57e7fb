package dev.checkpoint.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What a lease table the starter creates gets besides its key (checkpoint.create-table=true). A table that exists is
 * never changed: one owned by infrastructure as code keeps what its owner gave it.
 */
@ConfigurationProperties("checkpoint.table")
public class CheckpointTableProperties {

    /** How a created table is encrypted at rest. */
    public enum Encryption {
        /** A key DynamoDB owns: its default, at no charge. */
        AWS_OWNED,
        /** The AWS-managed KMS key of DynamoDB (aws/dynamodb). */
        AWS_MANAGED,
        /** A customer-managed KMS key: checkpoint.table.kms-key-id. */
        CUSTOMER_MANAGED
    }

    /**
     * Tags of a created table, such as checkpoint.table.tags.team=orders.
     */
    private Map<String, String> tags = new LinkedHashMap<>();

    /**
     * Whether a created table refuses DeleteTable.
     */
    private boolean deletionProtection;

    /**
     * How a created table is encrypted at rest: aws-owned, aws-managed or customer-managed.
     */
    private Encryption encryption = Encryption.AWS_OWNED;

    /**
     * With encryption customer-managed: the KMS key's id, ARN, alias name or alias ARN.
     */
    private @Nullable String kmsKeyId;

    /**
     * Whether a created table keeps continuous backups (point-in-time recovery).
     */
    private boolean pointInTimeRecovery;

    public Map<String, String> getTags() {
        return tags;
    }

    public void setTags(Map<String, String> tags) {
        this.tags = tags;
    }

    public boolean isDeletionProtection() {
        return deletionProtection;
    }

    public void setDeletionProtection(boolean deletionProtection) {
        this.deletionProtection = deletionProtection;
    }

    public Encryption getEncryption() {
        return encryption;
    }

    public void setEncryption(Encryption encryption) {
        this.encryption = encryption;
    }

    public @Nullable String getKmsKeyId() {
        return kmsKeyId;
    }

    public void setKmsKeyId(@Nullable String kmsKeyId) {
        this.kmsKeyId = kmsKeyId;
    }

    public boolean isPointInTimeRecovery() {
        return pointInTimeRecovery;
    }

    public void setPointInTimeRecovery(boolean pointInTimeRecovery) {
        this.pointInTimeRecovery = pointInTimeRecovery;
    }
}
