/**
 * The Actuator parts: the {@code checkpoint} health indicator, the {@code leases} endpoint and the metrics.
 */
@NullMarked
package dev.checkpoint.actuate;

import org.jspecify.annotations.NullMarked;
