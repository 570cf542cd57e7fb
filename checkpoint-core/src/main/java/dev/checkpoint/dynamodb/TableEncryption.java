package dev.checkpoint.dynamodb;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.SSESpecification;
import software.amazon.awssdk.services.dynamodb.model.SSEType;

/**
 * How a lease table the library creates is encrypted at rest: with a key DynamoDB owns (its default, no charge), the
 * AWS-managed KMS key of DynamoDB, or a customer-managed KMS key.
 */
public final class TableEncryption {

    private static final TableEncryption AWS_OWNED = new TableEncryption(false, null);
    private static final TableEncryption AWS_MANAGED = new TableEncryption(true, null);

    private final boolean kms;
    private final @Nullable String kmsKeyId;

    private TableEncryption(boolean kms, @Nullable String kmsKeyId) {
        this.kms = kms;
        this.kmsKeyId = kmsKeyId;
    }

    /** A key DynamoDB owns: DynamoDB's default. */
    public static TableEncryption awsOwned() {
        return AWS_OWNED;
    }

    /** The AWS-managed KMS key of DynamoDB ({@code aws/dynamodb}). */
    public static TableEncryption awsManaged() {
        return AWS_MANAGED;
    }

    /** A customer-managed KMS key: its id, ARN, alias name or alias ARN. */
    public static TableEncryption customerManaged(String kmsKeyId) {
        return new TableEncryption(true, Objects.requireNonNull(kmsKeyId, "kmsKeyId"));
    }

    /** What CreateTable is sent: nothing for DynamoDB's own key. */
    @Nullable SSESpecification specification() {
        if (!kms) {
            return null;
        }
        SSESpecification.Builder sse = SSESpecification.builder().enabled(true).sseType(SSEType.KMS);
        if (kmsKeyId != null) {
            sse.kmsMasterKeyId(kmsKeyId);
        }
        return sse.build();
    }

    @Override
    public String toString() {
        return !kms ? "AWS owned key" : kmsKeyId == null ? "AWS managed KMS key" : "KMS key " + kmsKeyId;
    }
}
