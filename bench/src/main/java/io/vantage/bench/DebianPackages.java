package io.vantage.bench;

import java.io.IOException;

/** The bench's outside tools (wrk, goaccess) come from Debian and are installed when missing. */
final class DebianPackages {
    private DebianPackages() {
    }

    /** Whether {@code command} is on the PATH, after installing the Debian package of that name if it was not. */
    static boolean installIfMissing(String command) throws IOException, InterruptedException {
        if (new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0) {
            return true;
        }
        System.out.println("installing " + command + " (Debian package) ...");
        return new ProcessBuilder("sh", "-c", "(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                + command + ") >/dev/null 2>&1").start().waitFor() == 0;
    }
}
