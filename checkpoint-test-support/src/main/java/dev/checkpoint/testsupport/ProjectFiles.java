package dev.checkpoint.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds the project's root and makes sure its pinned npm packages are installed. */
final class ProjectFiles {

    private ProjectFiles() {
    }

    /** The folder holding {@code tools/local-aws.js} and {@code package-lock.json}, searched upwards from the working directory. */
    static Path root() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("tools/local-aws.js")) && Files.isRegularFile(dir.resolve("package-lock.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the project root (tools/local-aws.js) above " + Paths.get("").toAbsolutePath());
    }

    /** Runs {@code npm ci} once when the package is missing: the lockfile pins every version. */
    static synchronized void ensureNodeModules(Path root, String packageName) {
        if (Files.isDirectory(root.resolve("node_modules").resolve(packageName))) {
            return;
        }
        install(root, List.of("npm", "ci", "--no-audit", "--no-fund"));
    }

    /**
     * Runs the install command in {@code root}, without this JVM's standard streams: its output goes to
     * {@code target/processes/npm-ci.log}, which a failure names.
     */
    static void install(Path root, List<String> command) {
        ChildProcesses.Finished npm;
        try {
            npm = ChildProcesses.run("npm-ci", command, root, TimeUnit.MINUTES.toSeconds(10));
        }
        catch (IllegalStateException failure) {
            throw new IllegalStateException(failure.getMessage() + " (Node.js 20 and npm are needed)", failure);
        }
        if (npm.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed in " + root + " with exit code "
                    + npm.exitCode() + "; its output is in " + npm.log());
        }
    }
}
