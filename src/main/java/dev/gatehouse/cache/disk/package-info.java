/**
 * The disk tier: responses in checksummed files under one directory, bounded in bytes, written
 * atomically, and found again after a restart. The format is documented on
 * {@link dev.gatehouse.cache.disk.DiskStore}.
 */
package dev.gatehouse.cache.disk;
