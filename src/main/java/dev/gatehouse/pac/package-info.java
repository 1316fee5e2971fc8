/** Generates the PAC/WPAD file browsers use to find the proxy, from the config. No network, no Undertow. */
package dev.gatehouse.pac;
