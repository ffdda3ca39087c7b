package io.chainring.cli.command;

import io.chainring.cli.GlobalOptions;
import io.chainring.cli.Main;
import io.chainring.client.ChainringClient;
import io.chainring.client.ReadLevel;
import io.chainring.client.WriteAck;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Base of the data commands: a client built from the global options. */
abstract class ClientCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--read-level", paramLabel = "LEVEL", defaultValue = "LINEARIZABLE",
            description = "LINEARIZABLE, MAJORITY or ONE (default: ${DEFAULT-VALUE}).")
    ReadLevel readLevel;

    @Option(names = "--write-ack", paramLabel = "ACK", defaultValue = "ALL",
            description = "ALL, MAJORITY or ONE (default: ${DEFAULT-VALUE}).")
    WriteAck writeAck;

    GlobalOptions global() {
        return main.global();
    }

    ChainringClient client() {
        return ChainringClient.builder()
                .seeds(global().seeds())
                .timeout(global().timeout())
                .readLevel(readLevel)
                .writeAck(writeAck)
                .build();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
