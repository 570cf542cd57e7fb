package dev.checkpoint.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.checkpoint.benchmarks.Contender.Kind;
import dev.checkpoint.benchmarks.Harness.Result;

/** The results as Markdown tables and an SVG chart of the ratios. */
final class Report {

    private static final Operation[] HOT = { Operation.TAKE, Operation.RENEW, Operation.CHECKPOINT, Operation.RELEASE,
            Operation.LIST_1000, Operation.LIST_10000 };

    private final List<Result> results;
    private final List<Integer> threads;

    Report(List<Result> results, List<Integer> threads) {
        this.results = results;
        this.threads = threads;
    }

    Optional<Result> find(Operation operation, Kind kind, int threadCount) {
        return results.stream().filter(result -> result.measured().operation() == operation
                && result.measured().contender().kind() == kind && result.measured().threads() == threadCount)
                .max(Comparator.comparingDouble(Result::median));   // for the floor: the fastest client
    }

    /** Ours over another, by medians; empty when either is missing. */
    Optional<Double> ratio(Operation operation, Kind other, int threadCount) {
        Optional<Result> ours = find(operation, Kind.OURS, threadCount);
        Optional<Result> them = find(operation, other, threadCount);
        return ours.isPresent() && them.isPresent() ? Optional.of(ours.get().median() / them.get().median()) : Optional.empty();
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| operation | threads | floor: raw request, ops/s (client) | ours, ops/s (spread) | ours ÷ floor "
                + "| KCL, ops/s | ours ÷ KCL | Spring Cloud AWS, ops/s | ours ÷ SCA |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Operation operation : HOT) {
            for (int threadCount : threads) {
                out.append("| ").append(operation.description()).append(" | ").append(threadCount).append(" | ")
                        .append(find(operation, Kind.FLOOR, threadCount).map(r -> rate(r) + " (" + r.measured().contender().httpClient() + ")").orElse("—"))
                        .append(" | ").append(find(operation, Kind.OURS, threadCount).map(Report::rateWithSpread).orElse("—"))
                        .append(" | ").append(ratioText(operation, Kind.FLOOR, threadCount))
                        .append(" | ").append(find(operation, Kind.KCL, threadCount).map(Report::rate).orElse("—"))
                        .append(" | ").append(ratioText(operation, Kind.KCL, threadCount))
                        .append(" | ").append(find(operation, Kind.SPRING_CLOUD_AWS, threadCount).map(Report::rate).orElse("— (no listing)"))
                        .append(" | ").append(ratioText(operation, Kind.SPRING_CLOUD_AWS, threadCount)).append(" |\n");
            }
        }
        out.append("\n**Client CPU per operation** (the calling thread's CPU time inside the call, median of the rounds, µs; the "
                + "floor on the same HTTP client as ours, Apache 5; ours on the starter's client, without retries of its own, "
                + "and on an application's client that retries on its own, whose retries ours switches off per request)\n\n");
        out.append("| operation | threads | floor, µs | ours, µs | ours ÷ floor | ours on a retrying client, µs | ÷ floor |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Operation operation : HOT) {
            for (int threadCount : threads) {
                Optional<Result> floor = floorOnOurClient(operation, threadCount);
                Optional<Result> ours = find(operation, Kind.OURS, threadCount);
                Optional<Result> retrying = find(operation, Kind.OURS_ON_RETRYING_CLIENT, threadCount);
                out.append("| ").append(operation.description()).append(" | ").append(threadCount).append(" | ")
                        .append(floor.map(Report::cpu).orElse("—")).append(" | ").append(ours.map(Report::cpu).orElse("—"))
                        .append(" | ").append(cpuRatio(ours, floor, "**%.2f**"))
                        .append(" | ").append(retrying.map(Report::cpu).orElse("—"))
                        .append(" | ").append(cpuRatio(retrying, floor, "%.2f")).append(" |\n");
            }
        }
        out.append("\n| reference | threads | the seed's way (GetItem + PutItem), ops/s | ours (renew), ops/s | ours ÷ seed |\n|---|---|---|---|---|\n");
        for (int threadCount : threads) {
            Optional<Result> seed = find(Operation.SEED_GET_LEASE, Kind.SEED, threadCount);
            Optional<Result> ours = find(Operation.RENEW, Kind.OURS, threadCount);
            out.append("| ").append(Operation.SEED_GET_LEASE.description()).append(" | ").append(threadCount).append(" | ")
                    .append(seed.map(Report::rateWithSpread).orElse("—")).append(" | ").append(ours.map(Report::rate).orElse("—"))
                    .append(" | ").append(seed.isPresent() && ours.isPresent()
                            ? String.format(Locale.ROOT, "%.2f", ours.get().median() / seed.get().median()) : "—")
                    .append(" |\n");
        }
        out.append("\n**DynamoDB requests per operation** (counted by an `ExecutionInterceptor` on each contender's client)\n\n");
        out.append("| operation | floor | ours | KCL | Spring Cloud AWS | seed |\n|---|---|---|---|---|---|\n");
        for (Operation operation : Operation.values()) {
            out.append("| ").append(operation.description());
            for (Kind kind : List.of(Kind.FLOOR, Kind.OURS, Kind.KCL, Kind.SPRING_CLOUD_AWS, Kind.SEED)) {
                out.append(" | ").append(find(operation, kind, 1).map(r -> String.format(Locale.ROOT, "%.2f", r.requestsPerCall())).orElse("—"));
            }
            out.append(" |\n");
        }
        out.append("\n**The floor by HTTP client** (raw request, median ops/s)\n\n| operation | threads");
        List<String> clients = results.stream().filter(r -> r.measured().contender().kind() == Kind.FLOOR)
                .map(r -> r.measured().contender().httpClient()).distinct().toList();
        clients.forEach(client -> out.append(" | ").append(client));
        out.append(" |\n|---|---|").append("---|".repeat(clients.size())).append('\n');
        for (Operation operation : HOT) {
            for (int threadCount : threads) {
                out.append("| ").append(operation.description()).append(" | ").append(threadCount);
                for (String client : clients) {
                    out.append(" | ").append(results.stream().filter(r -> r.measured().operation() == operation
                            && r.measured().contender().kind() == Kind.FLOOR && r.measured().threads() == threadCount
                            && r.measured().contender().httpClient().equals(client)).findFirst().map(Report::rate).orElse("—"));
                }
                out.append(" |\n");
            }
        }
        return out.toString();
    }

    /** The floor on the HTTP client ours runs on, so that CPU is compared on the same client. */
    private Optional<Result> floorOnOurClient(Operation operation, int threadCount) {
        Optional<Result> ours = find(operation, Kind.OURS, threadCount);
        return ours.flatMap(o -> results.stream().filter(r -> r.measured().operation() == operation
                && r.measured().contender().kind() == Kind.FLOOR && r.measured().threads() == threadCount
                && r.measured().contender().httpClient().equals(o.measured().contender().httpClient())).findFirst());
    }

    private static String cpuRatio(Optional<Result> ours, Optional<Result> floor, String format) {
        return ours.isPresent() && floor.isPresent()
                ? String.format(Locale.ROOT, format, ours.get().medianCpuMicros() / floor.get().medianCpuMicros()) : "—";
    }

    private static String cpu(Result result) {
        return String.format(Locale.ROOT, "%.0f", result.medianCpuMicros());
    }

    private String ratioText(Operation operation, Kind other, int threadCount) {
        return ratio(operation, other, threadCount).map(r -> String.format(Locale.ROOT, "**%.2f**", r)).orElse("—");
    }

    private static String rate(Result result) {
        return String.format(Locale.ROOT, "%,.0f", result.median());
    }

    private static String rateWithSpread(Result result) {
        return String.format(Locale.ROOT, "%,.0f (%,.0f–%,.0f)", result.median(), result.min(), result.max());
    }

    /** Horizontal bars: ours ÷ floor, ours ÷ KCL, ours ÷ Spring Cloud AWS, per operation and thread count. */
    String svg() {
        List<String> labels = new ArrayList<>();
        List<double[]> bars = new ArrayList<>();
        double max = 1.5;
        for (Operation operation : HOT) {
            for (int threadCount : threads) {
                double[] row = { ratio(operation, Kind.FLOOR, threadCount).orElse(Double.NaN),
                        ratio(operation, Kind.KCL, threadCount).orElse(Double.NaN),
                        ratio(operation, Kind.SPRING_CLOUD_AWS, threadCount).orElse(Double.NaN) };
                for (double value : row) {
                    if (!Double.isNaN(value)) {
                        max = Math.max(max, value);
                    }
                }
                labels.add(operation.description() + ", " + threadCount + (threadCount == 1 ? " thread" : " threads"));
                bars.add(row);
            }
        }
        int left = 230;
        int width = 520;
        int rowHeight = 42;
        int top = 50;
        int height = top + labels.size() * rowHeight + 40;
        String[] colours = { "#4c72b0", "#dd8452", "#55a868" };
        String[] names = { "ours ÷ raw SDK (floor)", "ours ÷ Java KCL", "ours ÷ Spring Cloud AWS" };
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n",
                left + width + 60, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (int i = 0; i < names.length; i++) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"12\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"22\">%s</text>\n",
                    left + i * 175, colours[i], left + i * 175 + 16, names[i]));
        }
        double scale = width / max;
        for (double mark : new double[] { 0.9, 1.0 }) {
            int x = left + (int) Math.round(mark * scale);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-dasharray=\"4,3\"/>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%.1f×</text>\n", x, top - 6, x, height - 30,
                    mark == 1.0 ? "#333" : "#999", x, height - 16, mark));
        }
        for (int row = 0; row < labels.size(); row++) {
            int y = top + row * rowHeight;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", left - 8, y + 22,
                    labels.get(row)));
            for (int bar = 0; bar < 3; bar++) {
                double value = bars.get(row)[bar];
                if (Double.isNaN(value)) {
                    continue;
                }
                int barWidth = (int) Math.round(value * scale);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"11\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"%d\" font-size=\"10\">%.2f</text>\n", left, y + 4 + bar * 12, barWidth,
                        colours[bar], left + barWidth + 4, y + 13 + bar * 12, value));
            }
        }
        return svg.append("</svg>\n").toString();
    }
}
