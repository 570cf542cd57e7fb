package dev.checkpoint.sample;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/counts}: the events this instance processed, in all and per key. */
@RestController
class CountsController {

    private final EventCounts counts;

    CountsController(EventCounts counts) {
        this.counts = counts;
    }

    @GetMapping("/api/counts")
    Map<String, Object> counts() {
        return Map.of("total", counts.total(), "byKey", counts.byKey());
    }
}
