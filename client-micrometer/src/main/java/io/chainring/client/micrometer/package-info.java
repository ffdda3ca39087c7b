/**
 * Micrometer metrics for the Chainring smart client: {@link io.chainring.client.micrometer.MicrometerClientListener}.
 * An optional artifact ({@code chainring-client-micrometer}): the client itself has no metrics dependency.
 */
package io.chainring.client.micrometer;
