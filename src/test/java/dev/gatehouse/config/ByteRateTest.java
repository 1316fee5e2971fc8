package dev.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRateTest {
    @ParameterizedTest
    @CsvSource({
            "'', 0", "0, 0", "0Mbit, 0", "1000, 1000", "500B, 500", "500KB, 500000", "500 KB/s, 500000",
            "20Mbit, 2500000", "4Mbit/s, 500000", "2Mbit, 250000", "1.5Mbit, 187500", "64kbit, 8000", "64Kbit, 8000",
            "1Gbit, 125000000", "2MiB/s, 2097152", "1KiB, 1024", "1GB, 1000000000", "8bit, 1"})
    void ratesAreBytesPerSecond(String text, long expected) {
        assertEquals(expected, ByteRate.bytesPerSecond(text));
    }

    @ParameterizedTest
    @CsvSource({"1MB, 1000000", "16KB, 16000", "64KiB, 65536", "16000, 16000", "'', 0"})
    void sizesAreBytes(String text, long expected) {
        assertEquals(expected, ByteRate.bytes(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"20mb", "4 Mbit/h", "fast", "-1Mbit", "1M", "1 Tbit", "1e6", "4bit"})
    void unclearRatesAreRefusedWithAnExample(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteRate.bytesPerSecond(text));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1MB/s", "lots"})
    void aSizeIsNotARate(String text) {
        assertThrows(IllegalArgumentException.class, () -> ByteRate.bytes(text));
    }
}
