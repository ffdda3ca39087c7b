package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Bytes;
import io.chainring.cli.output.Json;
import io.chainring.cli.output.Table;
import io.chainring.client.ChainringClient;
import io.chainring.client.ReadLevel;
import io.chainring.client.ScanCursor;
import io.chainring.client.ScanEntry;
import io.chainring.client.ScanPage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chainring scan}: pages through the keys (optionally with a prefix) and prints a table or JSON lines. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"List keys with their values and versions, partition by partition (key order inside a partition).",
                "A table, or with --json one JSON object per line. When --limit stops the scan early, "
                        + "a line on stderr gives the --cursor that continues it."})
public final class ScanCommand extends ClientCommand {
    static final int VALUE_WIDTH = 60;
    static final int DEFAULT_PAGE_SIZE = 500;

    @Option(names = "--prefix", paramLabel = "P", description = "Only keys that begin with P (UTF-8).")
    String prefix;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
            description = "Stop after N entries; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long limit;

    @Option(names = "--cursor", paramLabel = "C", description = "Continue a scan from the cursor an earlier scan printed.")
    String cursor;

    @Option(names = "--keys-only", description = "Print keys (and versions, partitions) without values. "
            + "The values still travel from the servers; this only keeps them off the screen.")
    boolean keysOnly;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "" + DEFAULT_PAGE_SIZE,
            description = "Entries fetched per request (default: ${DEFAULT-VALUE}).")
    int pageSize;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be 0 (no limit) or positive: " + limit);
        }
        if (pageSize < 1 || pageSize > ChainringClient.MAX_SCAN_PAGE) {
            throw new IllegalArgumentException("--page-size must be 1.." + ChainringClient.MAX_SCAN_PAGE + ": " + pageSize);
        }
        ScanCursor from = from();
        boolean json = global().json();
        Table table = keysOnly ? new Table("KEY", "VERSION", "PARTITION") : new Table("KEY", "VALUE", "VERSION", "PARTITION");
        long printed = 0;
        ScanCursor next = from;
        try (ChainringClient client = client()) {
            while (!next.isDone() && (limit == 0 || printed < limit)) {
                int ask = (int) (limit == 0 ? pageSize : Math.min(pageSize, limit - printed));
                ScanPage page = client.scan(next, ask, readLevel);
                for (ScanEntry e : page.entries()) {
                    if (json) {
                        out().println(Json.write(entryJson(e, keysOnly)));
                    } else if (keysOnly) {
                        table.row(Bytes.cell(e.key(), VALUE_WIDTH), e.version(), e.partition());
                    } else {
                        table.row(Bytes.cell(e.key(), VALUE_WIDTH), Bytes.cell(e.value(), VALUE_WIDTH), e.version(), e.partition());
                    }
                    printed++;
                }
                next = page.next();
            }
        }
        if (!json) {
            table.print(out());
            out().println("(" + printed + (printed == 1 ? " entry" : " entries") + ")");
        }
        out().flush();
        if (!next.isDone()) {
            err().println("chainring scan: stopped after " + printed + " entries (--limit); continue with: " + continuation(next));
            err().flush();
        }
        return ExitCodes.OK;
    }

    /**
     * Where to start: the cursor, or the start of the prefix (or of everything). A cursor carries its
     * own prefix; giving the same --prefix again is accepted (the hint repeats the user's options),
     * another one is refused.
     */
    private ScanCursor from() {
        byte[] prefixBytes = prefix == null ? null : KeyFormat.text(prefix, "--prefix");
        if (cursor == null) {
            return prefixBytes != null ? ScanCursor.start(prefixBytes) : ScanCursor.start();
        }
        ScanCursor c = ScanCursor.parse(cursor);
        if (prefixBytes != null && !Arrays.equals(prefixBytes, c.prefix())) {
            throw new IllegalArgumentException("--cursor continues a scan of another prefix ('"
                    + Bytes.cell(c.prefix(), VALUE_WIDTH) + "'): give --prefix '" + Bytes.cell(c.prefix(), VALUE_WIDTH) + "' or none");
        }
        return c;
    }

    /** The command that continues this scan with the options it was given (the seeds come from the environment or are repeated). */
    private String continuation(ScanCursor next) {
        StringBuilder b = new StringBuilder("chainring scan --cursor ").append(next);
        b.append(" --limit ").append(limit);
        if (pageSize != DEFAULT_PAGE_SIZE) {
            b.append(" --page-size ").append(pageSize);
        }
        if (readLevel != ReadLevel.LINEARIZABLE) {
            b.append(" --read-level ").append(readLevel);
        }
        if (keysOnly) {
            b.append(" --keys-only");
        }
        if (global().json()) {
            b.append(" --json");
        }
        if (global().seedsGiven()) {
            b.append(" --seeds ").append(global().seeds());
        }
        return b.toString();
    }

    static Map<String, Object> entryJson(ScanEntry e, boolean keysOnly) {
        Map<String, Object> o = new LinkedHashMap<>();
        Bytes.putJson(o, "key", e.key());
        if (!keysOnly) {
            Bytes.putJson(o, "value", e.value());
        }
        o.put("version", e.version());
        o.put("partition", e.partition());
        return o;
    }
}
