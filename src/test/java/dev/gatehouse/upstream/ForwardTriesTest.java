package dev.gatehouse.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Which failed tries move on to the next destination, for which requests (Squid's FwdState::checkRetry). */
class ForwardTriesTest {

    static Stream<Arguments> decisions() {
        return Stream.of(
                // failure, closed before any response byte on a fresh connection, request repeatable, moves on, why
                Arguments.of(Failure.CONNECT_REFUSED, false, true, true, "refused: nothing was sent"),
                Arguments.of(Failure.CONNECT_REFUSED, false, false, true, "refused: nothing was sent, a POST may go on too"),
                Arguments.of(Failure.CONNECT_TIMEOUT, false, false, true, "not connected in time: nothing was sent"),
                Arguments.of(Failure.UPSTREAM_CLOSED, true, true, true, "a GET the server dropped unanswered is repeated"),
                Arguments.of(Failure.UPSTREAM_CLOSED, true, false, false, "a body is never sent twice"),
                Arguments.of(Failure.UPSTREAM_CLOSED, false, true, false, "closed after a response byte or an interim response"),
                Arguments.of(Failure.UPSTREAM_TIMEOUT, false, true, false, "a slow origin would only be asked twice"),
                Arguments.of(Failure.MALFORMED_RESPONSE, false, true, false, "it answered, badly"),
                Arguments.of(Failure.PARENT_AUTH_FAILED, false, true, false, "the parent answered 407"));
    }

    @ParameterizedTest(name = "{4}")
    @MethodSource("decisions")
    void movesOnOnlyWhenNothingReachedTheServerOrARepeatableRequestWasDroppedUnanswered(
            Failure failure, boolean unanswered, boolean repeatable, boolean movesOn, String why) {
        ForwardTries tries = new ForwardTries(25, repeatable);
        tries.spend();
        assertEquals(movesOn, tries.movesOn(new FailureException(failure, "test", null), unanswered), why);
    }

    @Test
    void noTryIsLeftAfterMaxTries() {
        ForwardTries tries = new ForwardTries(2, true);
        FailureException refused = new FailureException(Failure.CONNECT_REFUSED, "refused", null);
        tries.spend();
        assertTrue(tries.movesOn(refused, false));
        tries.spend();
        assertFalse(tries.remain());
        assertFalse(tries.movesOn(refused, false), "two tries used: the request fails");
        assertFalse(tries.movesOn(new FailureException(Failure.UPSTREAM_CLOSED, "closed", null), true));
        assertThrows(IllegalStateException.class, tries::spend);
    }

    @Test
    void atLeastOneTry() {
        assertThrows(IllegalArgumentException.class, () -> new ForwardTries(0, true));
    }
}
