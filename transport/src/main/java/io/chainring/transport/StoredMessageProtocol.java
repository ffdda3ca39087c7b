package io.chainring.transport;

import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolDecorator;

/**
 * Hands a service processor the message header already read by the dispatcher, with the
 * service prefix ("kv:") taken off, as libthrift's multiplexed processor does.
 */
final class StoredMessageProtocol extends TProtocolDecorator {
    private final TMessage message;

    StoredMessageProtocol(TProtocol protocol, TMessage message) {
        super(protocol);
        this.message = message;
    }

    @Override
    public TMessage readMessageBegin() {
        return message;
    }
}
