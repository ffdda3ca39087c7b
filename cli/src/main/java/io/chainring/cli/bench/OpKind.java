package io.chainring.cli.bench;

/** The operations the load generator makes, with their names in the summary. */
public enum OpKind {
    READ("read"),
    UPDATE("update");

    private final String label;

    OpKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
