package io.chainring.controller;

import io.chainring.controller.admin.AdminServer;
import io.chainring.thrift.ControllerAdminService;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/** A plain Thrift client of a controller's admin service over loopback TCP. */
public final class AdminClient implements AutoCloseable {
    private final TFramedTransport transport;
    private final ControllerAdminService.Client client;

    public AdminClient(int port) throws TTransportException {
        TSocket socket = new TSocket("127.0.0.1", port, 10_000);
        transport = new TFramedTransport(socket, 16 << 20);
        transport.open();
        client = new ControllerAdminService.Client(
                new TMultiplexedProtocol(new TBinaryProtocol(transport), AdminServer.SERVICE_NAME));
    }

    public ControllerAdminService.Client api() {
        return client;
    }

    @Override
    public void close() {
        transport.close();
    }
}
