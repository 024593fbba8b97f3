package org.heroesinwaiting.core.classroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JoinCodeTest {

    @ParameterizedTest
    @ValueSource(strings = {"ABCDEFGH", "abcd-efgh", " ab cd-ef gh ", "Abcd--Efgh", "a-b-c-d-e-f-g-h"})
    void caseSpacesAndDashesDoNotMatter(String typed) {
        assertThat(JoinCode.parse(typed)).contains(new JoinCode("ABCDEFGH"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ABCDEFG", "ABCDEFGHJ", "ABCDEFG0", "ABCDEFGO", "ABCDEFG1", "ABCDEFGI", "ABCDEFGL", "ABCD_EFG", "ABCDÉFGH", ""})
    void anythingElseIsNoCode(String typed) {
        assertThat(JoinCode.parse(typed)).isEmpty();
        assertThatThrownBy(() -> new JoinCode(typed)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullAndHugeInputAreNoCode() {
        assertThat(JoinCode.parse(null)).isEmpty();
        assertThat(JoinCode.parse("-".repeat(100) + "ABCDEFGH")).isEmpty();
    }

    @Test
    void aCodeIsShownInTwoHalves() {
        assertThat(new JoinCode("ABCDEFGH").display()).isEqualTo("ABCD-EFGH");
        assertThat(new JoinCode("ABCDEFGH")).hasToString("ABCD-EFGH");
    }

    @Test
    void generatedCodesUseTheWholeAlphabetAndNothingElse() {
        Set<Character> seen = new HashSet<>();
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String code = JoinCode.generate().value();
            codes.add(code);
            code.chars().forEach(c -> seen.add((char) c));
        }
        assertThat(codes).hasSize(2000);
        Set<Character> alphabet = new HashSet<>();
        JoinCode.ALPHABET.chars().forEach(c -> alphabet.add((char) c));
        assertThat(seen).isEqualTo(alphabet);
    }
}
