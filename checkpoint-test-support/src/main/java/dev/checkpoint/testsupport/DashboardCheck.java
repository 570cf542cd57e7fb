package dev.checkpoint.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

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
        ensureChromium();
        Path root = ProjectFiles.root();
        ProjectFiles.ensureNodeModules(root, "playwright-core");
        try {
            Files.createDirectories(screenshot.toAbsolutePath().getParent());
            Process check = new ProcessBuilder("node", root.resolve("tools/dashboard-check.js").toString(), dashboardUrl,
                    screenshot.toAbsolutePath().toString()).redirectErrorStream(true).start();
            if (!check.waitFor(2, TimeUnit.MINUTES)) {
                check.destroyForcibly();
                throw new AssertionError("the dashboard check did not finish within 2 minutes");
            }
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (check.exitValue() != 0) {
                throw new AssertionError("dashboard check failed: " + output);
            }
            return output;
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot run the dashboard check: " + failure.getMessage(), failure);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the dashboard check", interrupted);
        }
    }

    /** Installs Debian's Chromium when it is missing and this runs as root, as CI does; otherwise says what to do. */
    private static synchronized void ensureChromium() {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !Files.isExecutable(Paths.get("/usr/bin/apt-get"))) {
            throw new IllegalStateException("the dashboard test needs Chromium at " + CHROMIUM
                    + ": install Debian's package 'chromium' (as root: apt-get install chromium)");
        }
        try {
            Process install = new ProcessBuilder("sh", "-c",
                    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium")
                    .inheritIO().start();
            if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0 || !Files.isExecutable(CHROMIUM)) {
                throw new IllegalStateException("could not install chromium with apt-get");
            }
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot run apt-get: " + failure.getMessage(), failure);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing chromium", interrupted);
        }
    }
}
