package io.chainring.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * The cluster-member handshake that opens an internal connection (DESIGN: Security), before any
 * Thrift frame. Mutual challenge/response with HMAC-SHA256 under the {@link ClusterSecret},
 * binding the claimed member id and both nonces, so a proof is good for one connection only:
 * <pre>
 * client → server  MAGIC(4) VERSION(1) clientNonce(32) idLength(2) id(UTF-8)
 * server → client  serverNonce(32) HMAC("chainring server v1", clientNonce, serverNonce, id)
 * client → server  HMAC("chainring client v1", clientNonce, serverNonce, id)
 * server → client  ACCEPTED(1) | REFUSED(1), then closes
 * </pre>
 * {@link #MAGIC} read as a frame length is far above any frame's limit, so a server tells a
 * handshake from a client's first frame by its first four bytes; clients that do not hand-shake
 * (the public {@code kv} API) send frames at once.
 */
public final class MemberHandshake {
    /** "CRH1": as a big-endian frame length, ~1.1 GB — never a valid frame. */
    public static final int MAGIC = 0x43524831;
    static final byte VERSION = 1;
    static final int NONCE_BYTES = 32;
    static final int MAC_BYTES = 32;
    static final int MAX_ID_BYTES = 255;
    /** Bytes of the hello before the id. */
    static final int HELLO_HEAD_BYTES = 4 + 1 + NONCE_BYTES + 2;
    static final byte ACCEPTED = 0;
    static final byte REFUSED = 1;
    private static final byte[] SERVER = "chainring server v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLIENT = "chainring client v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A member's credentials for the connections it opens: the secret and the id it claims. */
    public record Credentials(ClusterSecret secret, String memberId) {
        public Credentials {
            Objects.requireNonNull(secret, "secret");
            idBytes(memberId);
        }

        @Override
        public String toString() {
            return "Credentials[" + memberId + "]";
        }
    }

    private MemberHandshake() {
    }

    /**
     * Proves {@code credentials} on a freshly opened transport (a socket, under any framing) and
     * checks the server's proof. Throws when the server refuses, proves nothing, or closes — e.g.
     * a server without the cluster secret, or with another one.
     */
    public static void perform(TTransport socket, Credentials credentials) throws TTransportException {
        byte[] id = idBytes(credentials.memberId());
        byte[] clientNonce = nonce();
        socket.write(hello(clientNonce, id));
        socket.flush();
        byte[] challenge = readFully(socket, NONCE_BYTES + MAC_BYTES);
        byte[] serverNonce = Arrays.copyOfRange(challenge, 0, NONCE_BYTES);
        byte[] serverProof = Arrays.copyOfRange(challenge, NONCE_BYTES, NONCE_BYTES + MAC_BYTES);
        if (!MessageDigest.isEqual(serverProof, serverProof(credentials.secret(), clientNonce, serverNonce, id))) {
            throw new TTransportException(TTransportException.UNKNOWN,
                    "the server did not prove the cluster secret: it is not a member of this cluster (another secret?)");
        }
        socket.write(clientProof(credentials.secret(), clientNonce, serverNonce, id));
        socket.flush();
        if (readFully(socket, 1)[0] != ACCEPTED) {
            throw new TTransportException(TTransportException.UNKNOWN, "the server refused member " + credentials.memberId()
                    + ": wrong cluster secret");
        }
    }

    /** The client's first message. */
    static byte[] hello(byte[] clientNonce, byte[] id) {
        ByteBuffer hello = ByteBuffer.allocate(HELLO_HEAD_BYTES + id.length);
        hello.putInt(MAGIC).put(VERSION).put(clientNonce).putShort((short) id.length).put(id);
        return hello.array();
    }

    static byte[] serverProof(ClusterSecret secret, byte[] clientNonce, byte[] serverNonce, byte[] id) {
        return secret.mac(SERVER, clientNonce, serverNonce, id);
    }

    static byte[] clientProof(ClusterSecret secret, byte[] clientNonce, byte[] serverNonce, byte[] id) {
        return secret.mac(CLIENT, clientNonce, serverNonce, id);
    }

    static byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    static byte[] idBytes(String memberId) {
        Objects.requireNonNull(memberId, "memberId");
        byte[] id = memberId.getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("a member id needs 1.." + MAX_ID_BYTES + " bytes: '" + memberId + "'");
        }
        return id;
    }

    private static byte[] readFully(TTransport socket, int n) throws TTransportException {
        byte[] out = new byte[n];
        try {
            socket.readAll(out, 0, n);
        } catch (TTransportException e) {
            throw new TTransportException(e.getType(), "the connection ended during the cluster-member handshake (the server "
                    + "has no cluster secret, or refused this one): " + e.getMessage(), e);
        }
        return out;
    }
}
