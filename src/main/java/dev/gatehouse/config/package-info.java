/**
 * Immutable configuration records loaded from {@code etc/gatehouse.json} with Jackson, over embedded
 * defaults, validated as a whole: every problem is reported with file, line, column and JSON pointer.
 */
package dev.gatehouse.config;
