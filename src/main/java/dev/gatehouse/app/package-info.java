/** Entry point, command line and wiring: builds every part from the config and runs its lifecycle. No logic. */
package dev.gatehouse.app;
