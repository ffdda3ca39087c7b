package io.chainring.cli.backup;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.BiConsumer;

/**
 * One partition's backup file: {@code "CRBK" · format 1 · partition · lsn}, then each live record
 * as {@code keyLength · key · valueLength · value} in key order, then {@code -1 · recordCount}.
 * The manifest holds the file's SHA-256, so a damaged or cut file is refused before anything of
 * the backup is written back.
 */
public final class PartitionFile {
    static final int MAGIC = 0x4352424B; // "CRBK"
    static final int FORMAT = 1;
    private static final int END = -1;
    /** Far above the datanode's limits (1 KiB keys, 1 MiB values by default), below what would exhaust memory. */
    private static final int MAX_FIELD_BYTES = 64 << 20;

    private PartitionFile() {
    }

    /** Writes a partition's records; {@link #finish} ends the file and returns its summary. */
    public static final class Writer implements AutoCloseable {
        private final Path file;
        private final int partition;
        private final long lsn;
        private final MessageDigest sha;
        private final DataOutputStream out;
        private long keys;
        private long bytes;

        Writer(Path file, int partition, long lsn) throws IOException {
            this.file = file;
            this.partition = partition;
            this.lsn = lsn;
            this.sha = sha256();
            this.out = new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(Files.newOutputStream(file), sha), 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(partition);
            out.writeLong(lsn);
        }

        void add(byte[] key, byte[] value) throws IOException {
            out.writeInt(key.length);
            out.write(key);
            out.writeInt(value.length);
            out.write(value);
            keys++;
            bytes += key.length + value.length;
        }

        Manifest.Part finish() throws IOException {
            out.writeInt(END);
            out.writeLong(keys);
            out.close();
            return new Manifest.Part(partition, file.getFileName().toString(), lsn, keys, bytes, HexFormat.of().formatHex(sha.digest()));
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /**
     * Reads every record of {@code file}, checking it against {@code part} (header, record count and
     * SHA-256); {@code sink} sees each record as it is read, so call it with a no-op first to
     * validate a whole backup before writing anything.
     *
     * @throws BackupException the file does not match its manifest entry or is malformed
     */
    public static void read(Path file, Manifest.Part part, BiConsumer<byte[], byte[]> sink) throws IOException {
        MessageDigest sha = sha256();
        long count = 0;
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(new DigestInputStream(raw, sha), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new BackupException(file + " is not a Chainring backup file of format " + FORMAT);
            }
            int partition = in.readInt();
            long lsn = in.readLong();
            if (partition != part.partition() || lsn != part.lsn()) {
                throw new BackupException(file + " holds partition " + partition + " at LSN " + lsn + ", the manifest says partition "
                        + part.partition() + " at LSN " + part.lsn());
            }
            while (true) {
                int keyLength = in.readInt();
                if (keyLength == END) {
                    break;
                }
                byte[] key = field(in, keyLength, file);
                byte[] value = field(in, in.readInt(), file);
                sink.accept(key, value);
                count++;
            }
            long written = in.readLong();
            if (written != count || count != part.keys()) {
                throw new BackupException(file + " holds " + count + " records (its trailer says " + written + ", the manifest "
                        + part.keys() + ")");
            }
            if (in.read() != -1) {
                throw new BackupException(file + " has bytes after its end");
            }
        } catch (EOFException e) {
            throw new BackupException(file + " is cut short (after " + count + " records)", e);
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        if (!digest.equals(part.sha256())) {
            throw new BackupException(file + " is damaged: its SHA-256 is " + digest + ", the manifest says " + part.sha256());
        }
    }

    private static byte[] field(DataInputStream in, int length, Path file) throws IOException {
        if (length < 0 || length > MAX_FIELD_BYTES) {
            throw new BackupException(file + " is malformed: a field of " + length + " bytes");
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }

    static String name(int partition) {
        return String.format("p-%05d.crbk", partition);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
