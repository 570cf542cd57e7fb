package dev.checkpoint.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Runs {@code tools/dashboard-check.js}: the lease dashboard in headless Chromium (Debian's package, driven by
 * the pinned playwright-core), compared with {@code /actuator/leases}, and a screenshot.
 */
public final class DashboardCheck {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    private DashboardCheck() {
    }

    /**
     * @return what the check printed
     * @throws AssertionError when the page does not show what the endpoint reports
     */
    public static String run(String dashboardUrl, Path screenshot) {
        requireChromium();
        Path root = ProjectFiles.root();
        ProjectFiles.ensureNodeModules(root, "playwright-core");
        try {
            Files.createDirectories(screenshot.toAbsolutePath().getParent());
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot create the screenshot's folder: " + failure.getMessage(), failure);
        }
        ChildProcesses.Finished check = ChildProcesses.run("dashboard-check", List.of("node",
                root.resolve("tools/dashboard-check.js").toString(), dashboardUrl, screenshot.toAbsolutePath().toString()),
                root, 120);
        if (check.exitCode() != 0) {
            throw new AssertionError("dashboard check failed (output in " + check.log() + "): " + check.output());
        }
        return check.output();
    }

    /** Chromium is a prerequisite named in the README, which CI installs; the test says so when it is missing. */
    private static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("the dashboard test needs Chromium at " + CHROMIUM
                    + ", a prerequisite in the README: install Debian's package 'chromium' (apt-get install chromium)");
        }
    }
}
