package io.chainring.transport;

import io.netty.buffer.ByteBuf;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * A Thrift transport over one Netty buffer: reads consume a received frame, writes append to a
 * response. Reading past the frame's end is a protocol error of the request (a length field that
 * lies), never a wait for more bytes.
 */
final class ByteBufTransport extends TTransport {
    private final ByteBuf buf;
    private final TConfiguration configuration;

    ByteBufTransport(ByteBuf buf, TConfiguration configuration) {
        this.buf = buf;
        this.configuration = configuration;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void open() {
    }

    @Override
    public void close() {
    }

    @Override
    public int read(byte[] dst, int off, int len) throws TTransportException {
        if (len > buf.readableBytes()) {
            throw new TTransportException(TTransportException.END_OF_FILE,
                    "the frame ends " + (len - buf.readableBytes()) + " bytes early");
        }
        buf.readBytes(dst, off, len);
        return len;
    }

    @Override
    public void write(byte[] src, int off, int len) {
        buf.writeBytes(src, off, len);
    }

    @Override
    public TConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public void updateKnownMessageSize(long size) {
    }

    /** A container or string may not announce more elements than the frame has bytes left. */
    @Override
    public void checkReadBytesAvailable(long numBytes) throws TTransportException {
        if (numBytes > buf.readableBytes()) {
            throw new TTransportException(TTransportException.END_OF_FILE,
                    "the request announces " + numBytes + " bytes but its frame has " + buf.readableBytes() + " left");
        }
    }
}
