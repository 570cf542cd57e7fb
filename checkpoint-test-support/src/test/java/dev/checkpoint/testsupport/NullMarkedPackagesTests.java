package dev.checkpoint.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every package of the published libraries is {@code @NullMarked} (JSpecify): nothing is {@code null} unless marked
 * {@code @Nullable}, as in Spring Framework 7 and Spring Boot 4, so that IDEs and null checkers read our API the same.
 */
class NullMarkedPackagesTests {

    private static final List<String> PUBLISHED = List.of("checkpoint-core", "checkpoint-spring-boot-starter");

    @Test
    void everyPackageOfTheLibrariesIsNullMarked() throws IOException {
        Path root = ProjectFiles.root();
        for (String module : PUBLISHED) {
            Path sources = root.resolve(module).resolve("src/main/java");
            Set<Path> packages;
            try (Stream<Path> files = Files.walk(sources)) {
                packages = files.filter(path -> path.toString().endsWith(".java")).map(Path::getParent)
                        .collect(Collectors.toSet());
            }
            assertThat(packages).as("packages of " + module).isNotEmpty()
                    .allSatisfy(dir -> assertThat(dir.resolve("package-info.java")).as(root.relativize(dir).toString())
                            .content().contains("@NullMarked"));
        }
    }
}
