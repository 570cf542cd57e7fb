package dev.checkpoint.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.checkpoint.benchmarks.Clients.Sync;
import dev.checkpoint.benchmarks.Harness.Result;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.RequestCounter;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One benchmark run: every contender on its own tables of the one test server, measured side by side, written
 * to {@code results.md} and {@code ratios.svg}.
 */
final class BenchmarkRun {

    private static final Logger log = LoggerFactory.getLogger(BenchmarkRun.class);

    private BenchmarkRun() {
    }

    /** What a run produced. */
    record Outcome(Report report, List<CoordinatorScenarios.Outcome> scenarios) {
    }

    static Outcome run(Harness.Settings settings, CoordinatorScenarios scenarios, Path output) throws Exception {
        TestDynamoDb server = TestDynamoDb.shared();
        Clients clients = new Clients(server.endpoint(), server.credentials());
        String prefix = TestDynamoDb.uniqueTableName("bench");
        DynamoDbClient filler = clients.sync(Sync.APACHE5, new RequestCounter());
        Map<String, String> ourListings = Map.of("1000", prefix + "-list-1000", "10000", prefix + "-list-10000");
        ourListings.forEach((rows, table) -> {
            DynamoDbCheckpointer.builder().dynamoDbClient(filler).tableName(table).workerId("filler").build().init();
            LeaseRows.fill(filler, table, Integer.parseInt(rows), LeaseRows::ours);
        });

        List<Contender> contenders = new ArrayList<>();
        for (Sync http : Sync.values()) {
            RequestCounter counter = new RequestCounter();
            DynamoDbClient client = clients.sync(http, counter);
            String table = prefix + "-floor-" + http.name().toLowerCase(java.util.Locale.ROOT);
            DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName(table).workerId("floor").build().init();
            contenders.add(RawSdk.floor(http.description, client, counter, table, ourListings));
        }
        RequestCounter ours = new RequestCounter();
        contenders.add(Ours.contender(Contender.Kind.OURS, Sync.APACHE5.description, clients.sync(Sync.APACHE5, ours), ours,
                prefix + "-ours", ourListings));
        RequestCounter oursRetrying = new RequestCounter();
        contenders.add(Ours.contender(Contender.Kind.OURS_ON_RETRYING_CLIENT, Sync.APACHE5.description,
                clients.retrying(oursRetrying), oursRetrying, prefix + "-ours-retrying", ourListings));
        RequestCounter kcl = new RequestCounter();
        contenders.add(Kcl.contender(clients.async(kcl), filler, kcl, prefix + "-kcl",
                Map.of("1000", prefix + "-kcl-list-1000", "10000", prefix + "-kcl-list-10000")));
        RequestCounter sca = new RequestCounter();
        contenders.add(SpringCloudAws.contender(clients.async(sca), sca, prefix + "-sca-locks", prefix + "-sca-metadata"));
        RequestCounter seed = new RequestCounter();
        DynamoDbClient seedClient = clients.sync(Sync.APACHE5, seed);
        String seedTable = prefix + "-seed";
        DynamoDbCheckpointer.builder().dynamoDbClient(seedClient).tableName(seedTable).workerId("seed").build().init();
        contenders.add(RawSdk.seed(Sync.APACHE5.description, seedClient, seed, seedTable));

        log.info("Benchmarking against {} with {}", server, settings);
        List<Result> results = new Harness(settings).run(contenders);
        Report report = new Report(results, settings.threads());
        List<CoordinatorScenarios.Outcome> timed = scenarios.run();
        StringBuilder scenarioTable = new StringBuilder(String.format(java.util.Locale.ROOT,
                "%n**Coordinator scenarios** (lease %d s, sync %d s)%n%n| scenario | took | in units |%n|---|---|---|%n",
                CoordinatorScenarios.LEASE.toSeconds(), CoordinatorScenarios.SYNC.toSeconds()));
        timed.forEach(outcome -> scenarioTable.append("| ").append(outcome.scenario()).append(" | ")
                .append(outcome.took().toMillis()).append(" ms | ").append(outcome.inUnits()).append(" |\n"));
        String markdown = environment(server, settings) + "\n" + report.markdown() + scenarioTable;
        Files.createDirectories(output);
        Files.writeString(output.resolve("results.md"), markdown);
        Files.writeString(output.resolve("ratios.svg"), report.svg());
        log.info("Benchmark results, also in {}:\n{}", output.toAbsolutePath(), markdown);
        return new Outcome(report, timed);
    }

    private static String environment(TestDynamoDb server, Harness.Settings settings) {
        return String.format(java.util.Locale.ROOT, "Measured on %d cores, %s %s, %s; against %s; %d rounds of %s per case "
                + "after a %s warm-up; AWS SDK %s.%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), System.getProperty("os.name"),
                server.isDynalite() ? "dynalite 4.0.0" : server.toString(), settings.rounds(), settings.perCase(),
                settings.warmUp(), software.amazon.awssdk.core.util.VersionInfo.SDK_VERSION);
    }
}
