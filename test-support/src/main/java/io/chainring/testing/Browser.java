package io.chainring.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The headless Chromium and its chromedriver that browser tests drive (Debian's {@code chromium} and
 * {@code chromium-driver}), found on the {@code PATH} so that Selenium Manager never downloads one.
 */
public record Browser(Path chromium, Path chromedriver) {
    private static final List<String> CHROMIUM_NAMES = List.of("chromium", "chromium-browser");

    /** The browser on this machine, or empty when Chromium or its driver is missing. */
    public static Optional<Browser> find() {
        Optional<Path> chromium = CHROMIUM_NAMES.stream().map(Browser::onPath).flatMap(Optional::stream).findFirst();
        Optional<Path> driver = onPath("chromedriver");
        if (chromium.isEmpty() || driver.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Browser(chromium.get(), driver.get()));
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
