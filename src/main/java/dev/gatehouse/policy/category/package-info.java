/**
 * Category lists: loads domain and URL lists (UT1/squidGuard folders, plain domain lists, hosts
 * files) into a compact immutable {@link dev.gatehouse.policy.category.CategoryIndex} and answers
 * "which categories does this host or URL belong to?".
 *
 * <p>The index holds millions of domains in about 20 bytes each: a 64-bit fingerprint per
 * normalised domain in an open-addressing table, pointing at an interned combination of
 * categories. Where an entry came from is not kept in memory; {@code explain} re-reads the
 * source files to find the line.
 */
package dev.gatehouse.policy.category;
