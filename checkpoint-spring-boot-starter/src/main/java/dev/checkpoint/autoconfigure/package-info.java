/**
 * Spring Boot auto-configuration of the checkpointer, its lease store and the coordinator, from the
 * {@code checkpoint.*} properties, with failure analyzers that name the property at fault.
 */
@NullMarked
package dev.checkpoint.autoconfigure;

import org.jspecify.annotations.NullMarked;
