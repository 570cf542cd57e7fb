package dev.checkpoint.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs helper programs (npm, node scripts) from tests without sharing the test JVM's standard streams. Surefire
 * talks to its forked JVM over standard input and output; a child that inherits them can corrupt that channel (node
 * switches its standard input to non-blocking mode), and the fork dies with "std/in stream corrupted". So a child's
 * input is empty and its output, both streams, goes to a log file that any failure names.
 */
public final class ChildProcesses {

    private static final File NO_INPUT = new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");

    private ChildProcesses() {
    }

    /** The result of a finished child: its exit code and where its output is. */
    public record Finished(int exitCode, Path log) {

        /** The child's output, for messages. */
        public String output() {
            try {
                return Files.readString(log).trim();
            }
            catch (IOException unreadable) {
                return "(cannot read " + log + ": " + unreadable.getMessage() + ")";
            }
        }
    }

    /**
     * Runs {@code command} in {@code directory} to the end, within {@code timeoutSeconds}.
     *
     * @param name names the log file, {@code target/processes/NAME.log} below the working directory
     * @throws IllegalStateException when it cannot be started, or does not finish in time; the message names the log
     */
    public static Finished run(String name, List<String> command, Path directory, long timeoutSeconds) {
        Path log = logFile(name);
        try {
            Files.deleteIfExists(log);
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot replace " + log + ": " + failure.getMessage(), failure);
        }
        Process process = start(command, directory, log);
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds
                        + " s; its output is in " + log);
            }
            return new Finished(process.exitValue(), log);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), interrupted);
        }
    }

    /** Starts {@code command} with no input and both output streams appended to {@code log}. */
    public static Process start(List<String> command, Path directory, Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            return builder.start();
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + failure.getMessage(), failure);
        }
    }

    /** {@code target/processes/NAME.log} below the working directory (a module's folder under Maven). */
    public static Path logFile(String name) {
        return Paths.get("target", "processes", name + ".log").toAbsolutePath();
    }
}
