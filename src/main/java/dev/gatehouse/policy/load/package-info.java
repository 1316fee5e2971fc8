/**
 * Reads {@code policies/*.json} documents into immutable {@link dev.gatehouse.policy.Policy}
 * objects: all or nothing, every error reported with file, line, column and JSON pointer. The
 * format is documented in {@code policies/README.md} and on {@link dev.gatehouse.policy.load.PolicyLoader}.
 */
package dev.gatehouse.policy.load;
