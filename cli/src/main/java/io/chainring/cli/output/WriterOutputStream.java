package io.chainring.cli.output;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 bytes into a {@link PrintWriter}: lets a terminal that wants an output stream write where
 * a command's output goes when the CLI runs in-process (tests, the shell over piped streams).
 */
public final class WriterOutputStream extends OutputStream {
    private final PrintWriter writer;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer in = ByteBuffer.allocate(4096);
    private final CharBuffer out = CharBuffer.allocate(4096);

    public WriterOutputStream(PrintWriter writer) {
        this.writer = writer;
    }

    @Override
    public synchronized void write(int b) {
        if (!in.hasRemaining()) {
            drain();
        }
        in.put((byte) b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
        }
    }

    @Override
    public synchronized void flush() {
        drain();
        writer.flush();
    }

    @Override
    public void close() {
        flush();
    }

    /** Decodes what is complete; an incomplete UTF-8 sequence waits for its remaining bytes. */
    private void drain() {
        in.flip();
        while (true) {
            decoder.decode(in, out, false);
            out.flip();
            writer.append(out);
            boolean full = out.limit() == out.capacity();
            out.clear();
            if (!full) {
                break;
            }
        }
        in.compact();
    }
}
