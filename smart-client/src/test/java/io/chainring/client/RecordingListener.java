package io.chainring.client;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Keeps every listener event, for assertions. */
final class RecordingListener implements ClientListener {
    /** One event; fields that do not apply are null or -1. */
    record Event(String type, String op, String node, Outcome outcome, long nanos, int retry,
                 RingRefreshCause cause, long previousEpoch, long epoch, String thread) {
    }

    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

    @Override
    public void requestStarted(String op, String node) {
        events.add(new Event("requestStarted", op, node, null, -1, -1, null, -1, -1, Thread.currentThread().getName()));
    }

    @Override
    public void requestFinished(String op, String node, Outcome outcome, long latencyNanos) {
        events.add(new Event("requestFinished", op, node, outcome, latencyNanos, -1, null, -1, -1, Thread.currentThread().getName()));
    }

    @Override
    public void callFinished(String op, Outcome outcome, long latencyNanos) {
        events.add(new Event("callFinished", op, null, outcome, latencyNanos, -1, null, -1, -1, Thread.currentThread().getName()));
    }

    @Override
    public void retrying(String op, int retry, Outcome cause, long backoffNanos) {
        events.add(new Event("retrying", op, null, cause, backoffNanos, retry, null, -1, -1, Thread.currentThread().getName()));
    }

    @Override
    public void ringRefreshed(RingRefreshCause cause, long previousEpoch, long epoch) {
        events.add(new Event("ringRefreshed", null, null, null, -1, -1, cause, previousEpoch, epoch, Thread.currentThread().getName()));
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    List<Event> of(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    void clear() {
        events.clear();
    }
}
