package io.chainring.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in-process against a cluster and keeps what it printed. */
final class CliRun {
    /** What one run printed and returned. */
    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\\R"));
        }
    }

    private CliRun() {
    }

    static Result run(String seeds, byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--seeds", seeds));
        all.addAll(List.of(args));
        int exit = Main.run(all.toArray(String[]::new), stdin == null ? null : new ByteArrayInputStream(stdin),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }
}
