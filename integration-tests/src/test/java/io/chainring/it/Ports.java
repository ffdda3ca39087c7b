package io.chainring.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports for child processes that need fixed ports. */
public final class Ports {
    private Ports() {
    }

    public static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** The first of {@code n} consecutive loopback ports that are all free now (a bounded search). */
    public static int freeRange(int n) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = free();
            if (base + n - 1 <= 65_535 && allFree(base, n)) {
                return base;
            }
        }
        throw new IOException("no " + n + " consecutive free ports found in 100 tries");
    }

    private static boolean allFree(int base, int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int p = base; p < base + n; p++) {
                held.add(new ServerSocket(p, 1, InetAddress.getLoopbackAddress()));
            }
            return true;
        } catch (IOException busy) {
            return false;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
