package io.chainring.it;

import java.io.IOException;
import java.net.ServerSocket;

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
}
