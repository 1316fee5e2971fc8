/**
 * The policy engine: an immutable {@link dev.gatehouse.policy.Policy} of ordered rules decides each
 * request from its {@link dev.gatehouse.policy.RequestFacts} (first terminal match wins, explicit
 * default), and {@link dev.gatehouse.policy.PolicyHolder} swaps whole policies on reload.
 *
 * <p>Pure code: no server types and no I/O on the decision path, so every decision can be
 * unit-tested and {@code explain} runs exactly the code the proxy runs. Loading from JSON lives in
 * {@code dev.gatehouse.policy.load}; normalisation in {@code dev.gatehouse.policy.normalize}.
 */
package dev.gatehouse.policy;
