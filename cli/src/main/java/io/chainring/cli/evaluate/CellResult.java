package io.chainring.cli.evaluate;

import java.util.List;

/**
 * What one cell of the matrix (a setting under a condition) measured.
 *
 * @param condition          the network condition
 * @param setting            read level / write ack
 * @param seconds            length of the run
 * @param readsOk            reads that returned
 * @param writesOk           writes acknowledged
 * @param failed             operations refused (definitely not applied)
 * @param unknown            operations that timed out or broke (outcome unknown)
 * @param throughput         acknowledged operations per second
 * @param readP50Ms          read latency, median (ms)
 * @param readP99Ms          read latency, 99th percentile (ms)
 * @param writeP50Ms         write latency, median (ms)
 * @param writeP99Ms         write latency, 99th percentile (ms)
 * @param staleReads         reads that returned a version older than the newest acknowledged before they began
 * @param staleVersions      for each stale read, how many acknowledged versions it missed (a sample, sorted)
 * @param staleMillis        for each stale read, how long before it began the first write it missed was acknowledged (ms; a sample, sorted)
 * @param visibility         the t-visibility curve: probability that a read begun t ms after a write's ack sees it
 * @param lostAckedWrites    acknowledged writes missing from the final state after healing
 * @param maxLagLsns         the largest replication lag in LSNs any node's metrics showed during the run
 * @param maxLagMs           the largest replication lag in ms (age of the oldest uncommitted write)
 * @param verdict            the linearizability checker's verdict on the run's history
 * @param violation          the checker's explanation of the first violation, if any (a few lines)
 */
public record CellResult(String condition, String setting, double seconds, long readsOk, long writesOk, long failed,
                         long unknown, double throughput, double readP50Ms, double readP99Ms, double writeP50Ms,
                         double writeP99Ms, long staleReads, List<Long> staleVersions, List<Double> staleMillis,
                         List<VisibilityPoint> visibility, long lostAckedWrites, long maxLagLsns, double maxLagMs,
                         String verdict, String violation) {

    /** One point of a t-visibility curve: reads begun within (previous bound, {@code upToMs}] after the ack. */
    public record VisibilityPoint(double upToMs, long reads, long sawIt) {
        public double probability() {
            return reads == 0 ? Double.NaN : (double) sawIt / reads;
        }
    }

    public CellResult {
        staleVersions = List.copyOf(staleVersions);
        staleMillis = List.copyOf(staleMillis);
        visibility = List.copyOf(visibility);
    }

    /** Share of returned reads that were stale. */
    public double staleRate() {
        return readsOk == 0 ? 0 : (double) staleReads / readsOk;
    }

    /** Share of operations that failed or ended unknown. */
    public double failureRate() {
        long all = readsOk + writesOk + failed + unknown;
        return all == 0 ? 0 : (double) (failed + unknown) / all;
    }

    public double staleVersionsP99() {
        return percentile(staleVersions.stream().map(Long::doubleValue).toList(), 0.99);
    }

    public double staleMillisP50() {
        return percentile(staleMillis, 0.50);
    }

    public double staleMillisP99() {
        return percentile(staleMillis, 0.99);
    }

    static double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
