package dev.gatehouse.e2e;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;

/**
 * A test case with a {@link RawOrigin} on loopback and Gatehouse in front of it, each started by the test (the
 * origin's behaviour, and the proxy's configuration, differ per test) and both stopped after it.
 */
abstract class RawOriginCase {
    GatehouseFixture proxy;
    RawOrigin origin;

    @AfterEach
    void stopOriginAndProxy() throws IOException {
        if (proxy != null) proxy.close();
        if (origin != null) origin.close();
    }
}
