/**
 * The Chainring smart client: {@link io.chainring.client.ChainringClient} for reads and writes,
 * {@link io.chainring.client.AdminClient} for cluster status, and the values and exceptions they
 * use. Everything a user needs is in this package; {@code io.chainring.client.internal} is not API.
 *
 * <p>Errors are unchecked {@link io.chainring.client.ChainringException}s. Each says through
 * {@link io.chainring.client.ChainringException#mayHaveBeenApplied()} whether a write might have
 * taken effect: refusals ({@link io.chainring.client.InvalidRequestException},
 * {@link io.chainring.client.VersionMismatchException},
 * {@link io.chainring.client.StaleRoutingException},
 * {@link io.chainring.client.UnavailableException}) mean it did not; a
 * {@link io.chainring.client.ChainringTimeoutException} or a
 * {@link io.chainring.client.ConnectionException} mean the outcome is unknown.
 */
package io.chainring.client;
