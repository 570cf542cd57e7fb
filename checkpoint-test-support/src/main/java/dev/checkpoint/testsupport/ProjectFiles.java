package dev.checkpoint.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
        try {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(root.toFile()).inheritIO().start();
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci failed in " + root + "; run it there by hand to see why");
            }
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot run npm (Node.js 20 and npm are needed): " + failure.getMessage(), failure);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running npm ci", interrupted);
        }
    }
}
