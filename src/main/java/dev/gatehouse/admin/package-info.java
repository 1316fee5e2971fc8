/** The admin listener, separate from the proxy listener: health and readiness now; metrics and stats as they land. */
package dev.gatehouse.admin;
