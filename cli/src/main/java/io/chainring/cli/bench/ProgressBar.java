package io.chainring.cli.bench;

import java.io.PrintWriter;

/**
 * Progress of a preload: on a terminal a bar redrawn in place; otherwise (a pipe, a log file) a
 * plain line at every tenth, so logs stay readable.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final boolean terminal;
    private final long total;
    private final String what;
    private int lastTenth = -1;

    public ProgressBar(PrintWriter out, boolean terminal, long total, String what) {
        this.out = out;
        this.terminal = terminal;
        this.total = Math.max(1, total);
        this.what = what;
    }

    /** Shows {@code done} of the total. */
    public void update(long done) {
        int percent = (int) Math.min(100, done * 100 / total);
        if (terminal) {
            int filled = percent * WIDTH / 100;
            out.printf("\rloading [%s%s] %3d%% %,d/%,d %s", "#".repeat(filled), "-".repeat(WIDTH - filled), percent, done, total, what);
            out.flush();
            return;
        }
        int tenth = percent / 10;
        if (tenth > lastTenth) {
            lastTenth = tenth;
            out.printf("loading: %d%% (%,d/%,d %s)%n", percent, done, total, what);
            out.flush();
        }
    }

    /** Ends the bar (a newline on a terminal). */
    public void finish(long done) {
        update(done);
        if (terminal) {
            out.println();
            out.flush();
        }
    }
}
