package dev.checkpoint.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child of a surefire fork must not share the fork's standard streams: surefire's channel runs over them, and a
 * node child that inherited them broke it on a fresh clone ("std/in stream corrupted").
 */
class ChildProcessesTests {

    /** What the child's file descriptors 0 and 1 are, as the child itself sees them (Linux). */
    private static final List<String> SHOW_STREAMS = List.of("sh", "-c",
            "echo \"stdin=$(readlink /proc/$$/fd/0)\"; echo \"stdout=$(readlink /proc/$$/fd/1)\"; echo to-stderr >&2");

    @Test
    void theInstallStepGetsNoInputAndWritesItsOutputToALogFile(@TempDir Path root) throws IOException {
        ProjectFiles.install(root, SHOW_STREAMS);

        Path log = ChildProcesses.logFile("npm-ci");
        String output = Files.readString(log);
        assertThat(output).contains("stdin=/dev/null").contains("stdout=" + log).contains("to-stderr");
    }

    @Test
    void aFailedInstallNamesItsLogFile(@TempDir Path root) {
        assertThatIllegalStateException()
                .isThrownBy(() -> ProjectFiles.install(root, List.of("sh", "-c", "echo broken lockfile; exit 3")))
                .withMessageContaining("exit code 3")
                .withMessageContaining(ChildProcesses.logFile("npm-ci").toString());
        assertThat(ChildProcesses.logFile("npm-ci")).content().contains("broken lockfile");
    }

    @Test
    void aChildThatDoesNotFinishIsStoppedAndNamesItsLogFile(@TempDir Path root) {
        assertThatIllegalStateException()
                .isThrownBy(() -> ChildProcesses.run("sleeper", List.of("sh", "-c", "echo started; sleep 30"), root, 1))
                .withMessageContaining("did not finish within 1 s")
                .withMessageContaining(ChildProcesses.logFile("sleeper").toString());
    }

    @Test
    void noCodeOfTheProjectLetsAChildInheritTheTestJvmsStreams() throws IOException {
        Path root = ProjectFiles.root();
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> offenders = files
                    .filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> !path.toString().contains("node_modules"))
                    .filter(path -> !path.endsWith("ChildProcessesTests.java"))
                    .filter(path -> read(path).contains("inheritIO()") || read(path).contains("Redirect.INHERIT"))
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        }
        catch (IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }
}
