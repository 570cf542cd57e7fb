package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The hand-written reading of the timeouts rows carry agrees with the JDK's RFC 3339 parser, and leaves it the rest. */
class TimeParsingTests {

    @Test
    void everyTimeAsWrittenIsReadAsTheJdkReadsIt() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant time = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L), random.nextInt(3) == 0 ? 0
                    : random.nextInt(1_000_000_000));
            String written = LeaseSerializer.goRfc3339Nano(time);

            assertThat(LeaseSerializer.parseTime(written)).as(written).isEqualTo(time)
                    .isEqualTo(OffsetDateTime.parse(written, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        }
    }

    @Test
    void timesAreWrittenAsGoWritesThem() {
        assertThat(LeaseSerializer.goRfc3339Nano(Instant.parse("2026-11-29T15:36:28.541014390Z"))).isEqualTo("2026-11-29T15:36:28.54101439Z");
        assertThat(LeaseSerializer.goRfc3339Nano(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(LeaseSerializer.goRfc3339Nano(Instant.parse("0999-01-02T03:04:05.000000001Z"))).isEqualTo("0999-01-02T03:04:05.000000001Z");
        Random random = new Random(11);
        DateTimeFormatter seconds = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(java.time.ZoneOffset.UTC);
        for (int i = 0; i < 20_000; i++) {
            Instant time = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L), 0);
            assertThat(LeaseSerializer.goRfc3339Nano(time)).isEqualTo(seconds.format(time) + "Z");
        }
    }

    @Test
    void otherFormsGoToTheJdksParserAndNonsenseIsRefused() {
        assertThat(LeaseSerializer.parseTime("2026-11-29T16:36:28.541+01:00")).isEqualTo(Instant.parse("2026-11-29T15:36:28.541Z"));
        assertThat(LeaseSerializer.parseTime("2026-11-29T15:36:28.5Z")).isEqualTo(Instant.parse("2026-11-29T15:36:28.500Z"));
        assertThat(LeaseSerializer.parseTime("2026-11-29T15:36:28Z")).isEqualTo(Instant.parse("2026-11-29T15:36:28Z"));
        for (String nonsense : new String[] { "2026-02-30T10:00:00Z", "2026-11-29T24:00:00Z",
                "2026-11-29T10:00:00.1234567890Z", "2026-11-29 10:00:00Z", "20x6-11-29T10:00:00Z", "yesterday" }) {
            assertThatThrownBy(() -> LeaseSerializer.parseTime(nonsense)).as(nonsense).isInstanceOf(DateTimeParseException.class);
        }
    }
}
