package org.heroesinwaiting.server.curriculum;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void theThreeFormsOfASingleRange() {
        assertThat(ByteRange.parse("bytes=2-5", 10)).isEqualTo(new ByteRange(2, 5, true));
        assertThat(ByteRange.parse("bytes=7-", 10)).isEqualTo(new ByteRange(7, 9, true));
        assertThat(ByteRange.parse("bytes=-3", 10)).isEqualTo(new ByteRange(7, 9, true));
        assertThat(ByteRange.parse("bytes=-30", 10)).isEqualTo(new ByteRange(0, 9, true));
        assertThat(ByteRange.parse("bytes=5-50", 10)).isEqualTo(new ByteRange(5, 9, true));
        assertThat(ByteRange.parse("bytes=2-5", 10).length()).isEqualTo(4);
    }

    @Test
    void outsideTheFileIsUnsatisfiable() {
        assertThat(ByteRange.parse("bytes=10-", 10).satisfiable()).isFalse();
        assertThat(ByteRange.parse("bytes=12-20", 10).satisfiable()).isFalse();
        assertThat(ByteRange.parse("bytes=-0", 10).satisfiable()).isFalse();
    }

    @Test
    void anythingElseIsAnsweredWhole() {
        assertThat(ByteRange.parse(null, 10)).isNull();
        assertThat(ByteRange.parse("bytes=0-1,4-5", 10)).isNull();
        assertThat(ByteRange.parse("items=0-1", 10)).isNull();
        assertThat(ByteRange.parse("bytes=x-y", 10)).isNull();
        assertThat(ByteRange.parse("bytes=5-2", 10)).isNull();
    }

    @Test
    void oneAnswerHoldsAtMostSixteenMebibytes() {
        assertThat(ByteRange.parse("bytes=0-", 1L << 30).length()).isEqualTo(ByteRange.MAX_LENGTH);
    }
}
