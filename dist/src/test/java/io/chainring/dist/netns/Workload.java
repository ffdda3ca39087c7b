package io.chainring.dist.netns;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.cli.evaluate.history.Completion;
import io.chainring.cli.evaluate.history.Event;
import io.chainring.cli.evaluate.history.History;
import io.chainring.cli.evaluate.history.HistoryRecorder;
import io.chainring.cli.evaluate.history.Invoke;
import io.chainring.cli.evaluate.history.RandomOps;
import io.chainring.cli.evaluate.history.RecordingClient;
import io.chainring.client.ChainringClient;
import io.chainring.client.ChainringException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The client host's program: workers run random reads, writes, compare-and-sets and deletes on a
 * few keys ({@link RandomOps}, as LinearizabilityIT) for a while (faults come and go meanwhile), then every key is read once more after the
 * network healed (retried until it answers, bounded), and the whole recorded history goes to a
 * file, one event per line, for the test to check.
 *
 * <p>Arguments: seeds, key prefix, keys, workers, seconds, seed, output file.
 */
public final class Workload {
    /** Records serialize their derived getters too (e.g. isMismatch); reading takes the components only. */
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One line of the history file: an invocation or a completion. */
    public record Line(Invoke invoke, Completion completion) {
        Event event() {
            return invoke != null ? invoke : completion;
        }
    }

    private Workload() {
    }

    public static void main(String[] args) throws Exception {
        String seeds = args[0];
        String prefix = args[1];
        int keys = Integer.parseInt(args[2]);
        int workers = Integer.parseInt(args[3]);
        Duration length = Duration.ofSeconds(Long.parseLong(args[4]));
        long seed = Long.parseLong(args[5]);
        Path out = Path.of(args[6]);
        HistoryRecorder recorder = new HistoryRecorder(2_000_000);
        long deadline = System.nanoTime() + length.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Random random = new Random(seed * 31 + w);
            Thread t = new Thread(() -> work(seeds, prefix, keys, random, recorder, deadline), "worker-" + w);
            t.start();
            threads.add(t);
        }
        System.out.println("workload started");
        for (Thread t : threads) {
            t.join(length.toMillis() + 60_000);
        }
        readEveryKey(seeds, prefix, keys, recorder);
        History h = recorder.snapshot();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Event e : h.events()) {
                w.write(JSON.writeValueAsString(e instanceof Invoke i ? new Line(i, null) : new Line(null, (Completion) e)));
                w.newLine();
            }
        }
        System.out.println("workload done: " + h.operations().size() + " operations, " + h.outcomeCounts());
        System.exit(0);
    }

    /** The history a workload wrote. */
    public static History read(Path file) throws IOException {
        List<Event> events = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            events.add(JSON.readValue(line, Line.class).event());
        }
        return History.of(events);
    }

    private static ChainringClient client(String seeds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return ChainringClient.builder().seeds(seeds).timeout(Duration.ofSeconds(3)).build();
            } catch (ChainringException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(200);
            }
        }
    }

    private static void work(String seeds, String prefix, int keys, Random random, HistoryRecorder recorder, long deadline) {
        try (ChainringClient client = client(seeds)) {
            RecordingClient c = new RecordingClient(client, recorder);
            Map<String, Long> seen = new HashMap<>();
            for (int ops = 0; System.nanoTime() - deadline < 0; ops++) {
                String key = prefix + "-k" + random.nextInt(keys);
                String value = "p" + c.process() + "-" + ops; // unique: a client takes a new process id after an INFO
                try {
                    RandomOps.step(c, random, key, value, seen);
                } catch (ChainringException e) {
                    sleep(50); // recorded as FAIL or INFO; during a fault, do not spin
                }
            }
        }
    }

    /** After the faults: each key read until the read answers (at most 60 s), so a lost write would show. */
    private static void readEveryKey(String seeds, String prefix, int keys, HistoryRecorder recorder) {
        try (ChainringClient client = client(seeds)) {
            RecordingClient c = new RecordingClient(client, recorder);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int k = 0; k < keys; k++) {
                while (true) {
                    try {
                        c.get(prefix + "-k" + k);
                        break;
                    } catch (ChainringException e) {
                        if (System.nanoTime() > deadline) {
                            break;
                        }
                        sleep(200);
                    }
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
