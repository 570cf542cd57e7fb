/**
 * Auto-configuration of the Actuator parts: the health indicator, the {@code leases} endpoint and the metrics;
 * each only when Actuator (or Micrometer) is on the class path.
 */
@NullMarked
package dev.checkpoint.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
