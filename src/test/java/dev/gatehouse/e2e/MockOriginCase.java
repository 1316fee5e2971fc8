package dev.gatehouse.e2e;

import java.net.InetAddress;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test case with a MockWebServer origin on loopback and Gatehouse with the test defaults in front of it. */
abstract class MockOriginCase {
    final MockWebServer origin = new MockWebServer();
    GatehouseFixture proxy;

    @BeforeEach
    void startOriginAndProxy() throws Exception {
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
        proxy = GatehouseFixture.start();
    }

    @AfterEach
    void stopOriginAndProxy() {
        proxy.close();
        origin.close();
    }

    /** The origin's absolute URL for {@code path}. */
    String url(String path) {
        return "http://127.0.0.1:" + origin.getPort() + path;
    }
}
