/**
 * Linearizability checking for Chainring, Knossos/Porcupine style.
 *
 * <p>{@link io.chainring.it.history.RecordingClient}s record every call of a real client into a
 * {@link io.chainring.it.history.HistoryRecorder}, which yields an immutable
 * {@link io.chainring.it.history.History} of invocations and completions (OK, FAIL, or INFO:
 * outcome unknown, open forever). The {@link io.chainring.it.history.LinearizabilityChecker}
 * checks each key on its own against a register with store-assigned versions
 * ({@code VersionedRegister}) by a Wing–Gong/Lowe search ({@code WglSearch}), and explains a
 * violation by the shortest prefix of the key's history that no order explains.
 *
 * <p>Written values must be unique per key, so that reads can be matched to writes.
 */
package io.chainring.cli.evaluate.history;
