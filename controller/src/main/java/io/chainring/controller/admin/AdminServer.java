package io.chainring.controller.admin;

import io.chainring.thrift.ControllerAdminService;
import io.chainring.transport.ThriftServer;
import io.chainring.transport.ThriftServices;
import io.chainring.transport.TransportConfig;

/**
 * The controller's Thrift server (DESIGN §8): {@value #SERVICE_NAME} on the same Netty transport
 * as the datanodes — framed, binary, multiplexed, a maximum frame size, a frame timeout and a
 * limit of connections per client address (issue 12: ~32 idle or trickling connections took the
 * old thread-per-connection server down). A bad frame closes only its own connection.
 */
public final class AdminServer implements AutoCloseable {
    public static final String SERVICE_NAME = "controller-admin";
    /** Admin requests are tiny; a bigger frame is a bad client, not a reason to allocate. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** Admin calls are short and few: a handful of workers, so a burst of them cannot take many threads. */
    private static final int WORKERS = 8;
    /**
     * The admin UI, the CLI and a few operators' tools: far fewer than a datanode's clients, so an
     * address that opens more is refused early.
     */
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 32;

    private final ThriftServer server;

    private AdminServer(ThriftServer server) {
        this.server = server;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and starts serving.
     *
     * @throws IllegalStateException when the address cannot be bound
     */
    public static AdminServer start(String host, int port, ControllerAdminService.Iface handler) {
        return start(new TransportConfig(host, port, MAX_FRAME_BYTES, TransportConfig.DEFAULT_IO_THREADS, WORKERS)
                .withMaxConnectionsPerAddress(MAX_CONNECTIONS_PER_ADDRESS), handler);
    }

    /** Like {@link #start(String, int, ControllerAdminService.Iface)} with explicit transport settings (tests). */
    public static AdminServer start(TransportConfig config, ControllerAdminService.Iface handler) {
        ThriftServices services = ThriftServices.builder()
                .blocking(SERVICE_NAME, new ControllerAdminService.Processor<>(handler))
                .build();
        try {
            return new AdminServer(ThriftServer.start(config, services));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the admin service on " + config.host() + ":" + config.port(), e);
        } catch (Exception e) { // Netty rethrows a failed bind's checked BindException as is
            throw new IllegalStateException("cannot listen for admin requests on " + config.host() + ":" + config.port() + ": " + e, e);
        }
    }

    /** The bound port (the real one when 0 was asked for). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
