/**
 * The memory tier: small hot responses held whole in a Caffeine cache bounded in bytes, served
 * without copying their bodies.
 */
package dev.gatehouse.cache.memory;
