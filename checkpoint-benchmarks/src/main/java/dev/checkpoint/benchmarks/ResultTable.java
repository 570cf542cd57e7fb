package dev.checkpoint.benchmarks;

import java.util.List;
import java.util.function.Function;

/** A Markdown table of results side by side: one row per measure, one column per result. */
final class ResultTable {

    private ResultTable() {
    }

    static <R> void row(StringBuilder markdown, String label, List<R> results, Function<R, String> cell) {
        markdown.append("| ").append(label).append(" |");
        results.forEach(result -> markdown.append(' ').append(cell.apply(result)).append(" |"));
        markdown.append('\n');
    }
}
