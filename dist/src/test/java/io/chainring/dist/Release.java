package io.chainring.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The built tarball, unpacked as a user would unpack it. */
final class Release {
    private Release() {
    }

    /** Unpacks the tarball the build made into {@code dir} and returns the release's home there. */
    static Path unpack(Path dir) throws Exception {
        Path tarball = Path.of(System.getProperty("chainring.tarball"));
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("no tarball at " + tarball + ": build it with ./mvnw -B -Pdist package (or verify)");
        }
        Files.createDirectories(dir);
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", dir.toString()).inheritIO().start();
        if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
            throw new IllegalStateException("tar -xzf " + tarball + " failed");
        }
        return dir.resolve("chainring-" + System.getProperty("chainring.version"));
    }
}
