package org.heroesinwaiting.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The strict forms, on the texts an outside robustness run sent. Fixed dates here are about parsing. */
class WireFormatsTest {

    @Test
    void rfc3339TimesInAnyOffsetAreTheSameInstant() {
        assertThat(WireFormats.instant("2026-12-01T15:00:00Z")).contains(Instant.parse("2026-12-01T15:00:00Z"));
        assertThat(WireFormats.instant("2026-12-01T16:00:00+01:00")).contains(Instant.parse("2026-12-01T15:00:00Z"));
        assertThat(WireFormats.instant("2026-12-01t15:00:00.123456z")).contains(Instant.parse("2026-12-01T15:00:00.123456Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+275760-09-13T00:00:00Z", "-0044-03-15T12:00:00Z", "2026-12-01T24:00:00Z", "2026-02-30T10:00:00Z",
        "2026-12-01 15:00:00Z", "2026-12-01T15:00:00", "2026-12-01T15:00Z", "２０２６-12-01T15:00:00Z", "2026-12-01T15:00:60Z", "",
        "2026-12-01T15:00:00+24:00"})
    void anythingElseIsNoTime(String text) {
        assertThat(WireFormats.instant(text)).isEmpty();
    }

    @Test
    void uuidsOnlyInTheirCanonicalForm() {
        UUID id = UUID.randomUUID();
        assertThat(WireFormats.uuid(id.toString())).contains(id);
        assertThat(WireFormats.uuid(id.toString().toUpperCase())).contains(id);
        for (String text : new String[] {"", " ", "\u0000", id + "\u0000", "1-1-1-1-1", id.toString().replace("-", ""), "{" + id + "}"}) {
            assertThat(WireFormats.uuid(text)).as(text).isEmpty();
        }
    }

    @Test
    void numbersOnlyInAsciiDigits() {
        assertThat(WireFormats.number("12")).hasValue(12);
        for (String text : new String[] {"１", "٣", "-1", "+1", "1.0", "", "1234567890", " 1"}) {
            assertThat(WireFormats.number(text)).as(text).isEmpty();
        }
    }

    @Test
    void nulAndLoneSurrogatesAreFoundAndPairsAreNot() {
        assertThat(WireFormats.firstUnstorable("plain 😀 text")).isEqualTo(-1);
        assertThat(WireFormats.firstUnstorable("a\u0000b")).isEqualTo(1);
        assertThat(WireFormats.firstUnstorable("ab\uD800")).isEqualTo(2);
        assertThat(WireFormats.firstUnstorable("\uDC00x")).isZero();
    }
}
