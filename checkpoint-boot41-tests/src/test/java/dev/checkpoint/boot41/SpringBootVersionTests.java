package dev.checkpoint.boot41;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

/** The starter's tests in this module run on Spring Boot 4.1, not on the 4.0 the starter is built against. */
class SpringBootVersionTests {

    @Test
    void theTestsRunOnSpringBoot41() {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.1.");
        assertThat(SpringVersion.getVersion()).startsWith("7.");
    }
}
