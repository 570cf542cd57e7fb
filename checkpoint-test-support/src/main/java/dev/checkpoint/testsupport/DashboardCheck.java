package dev.checkpoint.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
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
        return run(dashboardUrl, screenshot, List.of());
    }

    /**
     * As {@link #run(String, Path)}, then presses the replay button: a dismissed confirmation must write nothing, and an
     * accepted one must reset every lease to {@code position} ({@code trim-horizon}, {@code latest}).
     *
     * @return what the check printed
     */
    public static String runAndReset(String dashboardUrl, Path screenshot, String position) {
        return run(dashboardUrl, screenshot, List.of("--reset", position));
    }

    private static String run(String dashboardUrl, Path screenshot, List<String> options) {
        requireChromium();
        Path root = ProjectFiles.root();
        ProjectFiles.ensureNodeModules(root, "playwright-core");
        try {
            Files.createDirectories(screenshot.toAbsolutePath().getParent());
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot create the screenshot's folder: " + failure.getMessage(), failure);
        }
        List<String> command = new ArrayList<>(List.of("node", root.resolve("tools/dashboard-check.js").toString(),
                dashboardUrl, screenshot.toAbsolutePath().toString()));
        command.addAll(options);
        ChildProcesses.Finished check = ChildProcesses.run("dashboard-check", command, root, 120);
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
