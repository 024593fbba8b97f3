package org.heroesinwaiting.core.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {

    private static final PasswordPolicy POLICY = PasswordPolicy.standard();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "short pw|at least 12 characters",
        "password1234|",
        "qwertyuiop12|",
        "aaaaaaaaaaaaaaaa|",
        "123456789012|",
        "iloveyou2024!|",
    })
    void shortAndCommonPasswordsAreRefused(String password, String reason) {
        assertThatThrownBy(() -> POLICY.check(password, "teacher@school.example", "Dana Rivers"))
                .isInstanceOf(WeakPasswordException.class)
                .hasMessageContaining(reason == null ? "" : reason);
    }

    @ValueSource(ints = {129, 500})
    @ParameterizedTest
    void aPasswordLongerThan128CharactersIsRefused(int length) {
        assertThatThrownBy(() -> POLICY.check("Correct horse ".repeat(40).substring(0, length), "t@school.example", "T"))
                .isInstanceOf(WeakPasswordException.class).hasMessageContaining("at most 128 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dana.rivers2026!", "DanaRivers#School", "rivers-rivers-rivers", "dana.rivers@school.example"})
    void aPasswordMadeOfTheEmailOrNameIsRefused(String password) {
        assertThatThrownBy(() -> POLICY.check(password, "dana.rivers@school.example", "Dana Rivers"))
                .isInstanceOf(WeakPasswordException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery staple", "Purple-Lantern-Orbit-77", "my school bus is bright violet"})
    void aLongUnguessablePasswordIsAcceptedWithoutCompositionRules(String password) {
        assertThatCode(() -> POLICY.check(password, "dana.rivers@school.example", "Dana Rivers")).doesNotThrowAnyException();
    }
}
