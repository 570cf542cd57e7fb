package dev.checkpoint.kinesis.migration;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The import and export as one command line, from any jar that has this module (the sample's, an application's):
 *
 * <pre>
 * java -cp app.jar -Dloader.main=dev.checkpoint.kinesis.migration.MigrationCommand \
 *     org.springframework.boot.loader.launch.PropertiesLauncher \
 *     import --from kcl --source-table orders-kcl --stream orders --table checkpoint-leases [--dry-run]
 * </pre>
 *
 * Verbs: {@code import} (from {@code kcl} or {@code spring-cloud-aws}) and {@code export} (to a KCL table). Prints the
 * report; exits 0 when done, 2 when refused (the reason printed, nothing written), 1 on bad arguments, 3 when AWS
 * failed (unreachable, no credentials, no permission: the SDK's message printed).
 */
public final class MigrationCommand {

    private static final Set<String> FLAGS = Set.of("dry-run", "replace-progress");
    private static final String USAGE = """
            usage: import --from kcl|spring-cloud-aws --stream S --table T [options]
                   export --kcl-table K --stream S --table T [options]
              --table T              this library's lease table (and --group G, in a table shared by consumer groups)
              --source-table X       import from kcl: the KCL's lease table (its application name)
              --metadata-table X     import from spring-cloud-aws: its metadata store (default SpringIntegrationMetadataStore)
              --lock-table X         import from spring-cloud-aws: its lock registry (default SpringIntegrationLockRegistry)
              --consumer-group X     import from spring-cloud-aws: the binder's consumer group
              --observe PT20S        how long the side read is watched for signs of life first
              --dry-run              report, write nothing
              --replace-progress     replace progress the target already has
              --renewal-mode lease|worker   the lease table's renewal mode (default lease)
              --region R, --dynamodb-endpoint URL, --kinesis-endpoint URL   where the tables and the stream are
              --requested-by WHO     for the audit lines (default: the user name)
            """;

    private MigrationCommand() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.out));
    }

    /** Runs the command; the exit status. */
    static int run(String[] args, PrintStream out) throws InterruptedException {
        Map<String, String> options;
        try {
            options = parse(args);
        }
        catch (IllegalArgumentException wrong) {
            out.println(wrong.getMessage());
            out.print(USAGE);
            return 1;
        }
        try (DynamoDbClient dynamoDb = dynamoDb(options); KinesisClient kinesis = kinesis(options)) {
            MigrationReport report = switch (options.get("verb")) {
                case "import" -> importing(options, dynamoDb, kinesis).run();
                case "export" -> exporting(options, dynamoDb, kinesis).run();
                default -> throw new IllegalArgumentException("unknown verb " + options.get("verb"));
            };
            out.print(report.toText());
            return 0;
        }
        catch (MigrationRefusedException refused) {
            out.println("Refused: " + refused.getMessage());
            return 2;
        }
        catch (IllegalArgumentException wrong) {
            out.println(wrong.getMessage());
            out.print(USAGE);
            return 1;
        }
        catch (SdkException | CheckpointException failed) {
            out.println("Failed: " + failed.getMessage());
            return 3;
        }
    }

    private static CheckpointImport importing(Map<String, String> options, DynamoDbClient dynamoDb, KinesisClient kinesis) {
        String stream = required(options, "stream");
        CheckpointSource source = switch (required(options, "from")) {
            case "kcl" -> new KclLeaseTable(dynamoDb, required(options, "source-table"), stream);
            case "spring-cloud-aws" -> new SpringCloudAwsCheckpoints(dynamoDb,
                    options.getOrDefault("metadata-table", SpringCloudAwsCheckpoints.DEFAULT_METADATA_TABLE),
                    options.getOrDefault("lock-table", SpringCloudAwsCheckpoints.DEFAULT_LOCK_TABLE),
                    required(options, "consumer-group"), stream);
            default -> throw new IllegalArgumentException("--from is kcl or spring-cloud-aws, not " + options.get("from"));
        };
        return CheckpointImport.builder().store(store(options, dynamoDb)).source(source)
                .stream(StreamShards.list(kinesis, stream)).options(migrationOptions(options)).build();
    }

    private static CheckpointExport exporting(Map<String, String> options, DynamoDbClient dynamoDb, KinesisClient kinesis) {
        return CheckpointExport.builder().store(store(options, dynamoDb)).dynamoDbClient(dynamoDb)
                .kclTable(required(options, "kcl-table")).stream(StreamShards.list(kinesis, required(options, "stream")))
                .options(migrationOptions(options)).build();
    }

    private static MigrationOptions migrationOptions(Map<String, String> options) {
        return MigrationOptions.defaults().withObserveFor(observe(options))
                .withReplaceProgress(options.containsKey("replace-progress")).withDryRun(options.containsKey("dry-run"))
                .withRequestedBy(requestedBy(options));
    }

    private static LeaseStore store(Map<String, String> options, DynamoDbClient dynamoDb) {
        DynamoDbCheckpointer.Builder builder = DynamoDbCheckpointer.builder().dynamoDbClient(dynamoDb)
                .tableName(required(options, "table")).workerId("migration-" + requestedBy(options))
                .renewalMode(renewalMode(options.getOrDefault("renewal-mode", "lease")));
        if (options.containsKey("group")) {
            builder.consumerGroup(options.get("group"));
        }
        DynamoDbCheckpointer checkpointer = builder.build();
        checkpointer.init();
        return checkpointer.leaseStore();
    }

    private static RenewalMode renewalMode(String text) {
        for (RenewalMode mode : RenewalMode.values()) {
            if (mode.text().equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("--renewal-mode is lease or worker, not " + text);
    }

    private static Duration observe(Map<String, String> options) {
        try {
            return Duration.parse(options.getOrDefault("observe", "PT20S"));
        }
        catch (java.time.format.DateTimeParseException wrong) {
            throw new IllegalArgumentException("--observe is a duration such as PT20S, not " + options.get("observe"));
        }
    }

    private static String requestedBy(Map<String, String> options) {
        return options.getOrDefault("requested-by", System.getProperty("user.name", "command"));
    }

    private static DynamoDbClient dynamoDb(Map<String, String> options) {
        var builder = DynamoDbClient.builder();
        region(options, builder::region);
        endpoint(options.get("dynamodb-endpoint"), builder::endpointOverride);
        return builder.build();
    }

    private static KinesisClient kinesis(Map<String, String> options) {
        var builder = KinesisClient.builder();
        region(options, builder::region);
        endpoint(options.get("kinesis-endpoint"), builder::endpointOverride);
        return builder.build();
    }

    private static void region(Map<String, String> options, java.util.function.Consumer<Region> region) {
        if (options.containsKey("region")) {
            region.accept(Region.of(options.get("region")));
        }
    }

    private static void endpoint(@Nullable String endpoint, java.util.function.Consumer<URI> override) {
        if (endpoint != null) {
            override.accept(URI.create(endpoint));
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** The verb, then {@code --name value} options and {@code --flag}s. */
    static Map<String, String> parse(String[] args) {
        List<String> words = List.of(args);
        if (words.isEmpty() || words.get(0).startsWith("--")) {
            throw new IllegalArgumentException("name a verb first: import or export");
        }
        Map<String, String> options = new HashMap<>();
        options.put("verb", words.get(0));
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("--")) {
                throw new IllegalArgumentException("unexpected " + word);
            }
            String name = word.substring(2);
            if (FLAGS.contains(name)) {
                options.put(name, "true");
            }
            else if (i + 1 < words.size()) {
                options.put(name, words.get(++i));
            }
            else {
                throw new IllegalArgumentException(word + " needs a value");
            }
        }
        return options;
    }
}
