package dev.checkpoint.kinesis.migration;

import java.io.PrintStream;

/** The command line's entry point for the tests of another package, without its {@code System.exit}. */
public final class MigrationCommandAccess {

    private MigrationCommandAccess() {
    }

    public static int run(String[] args, PrintStream out) throws InterruptedException {
        return MigrationCommand.run(args, out);
    }
}
