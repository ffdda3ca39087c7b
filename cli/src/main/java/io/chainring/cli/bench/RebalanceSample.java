package io.chainring.cli.bench;

/**
 * One point of the time series of {@code chainring bench rebalance} (about one a second): what
 * the load saw in the interval ending at {@code seconds}, and how far the plan was.
 *
 * @param seconds     end of the interval, seconds since the measured load began
 * @param phase       the phase running at its end
 * @param opsPerSec   successful operations per second in the interval
 * @param p99Micros   99th percentile latency of every operation in the interval (0 when none)
 * @param errors      failed operations in the interval
 * @param movesDone   moves of the plan done so far
 * @param movesTotal  moves in the plan (0 before it starts)
 * @param bytesCopied bytes copied by the plan's moves so far
 */
public record RebalanceSample(double seconds, RebalancePhase phase, double opsPerSec, double p99Micros, long errors,
                              int movesDone, int movesTotal, long bytesCopied) {
}
