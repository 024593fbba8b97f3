package org.heroesinwaiting.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JwtKeyringTest {

    private static final String SECRET = "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE"; // 32 bytes, base64url

    @Test
    void theDocumentedFormatParses() {
        JwtKeyring keyring = JwtKeyring.parse("{\"keys\": [{\"kid\": \"2026-11\", \"secret\": \"" + SECRET + "\", \"active\": true},"
                + " {\"kid\": \"2026-10\", \"secret\": \"" + SECRET + "\"}]}");

        assertThat(keyring.activeKey().kid()).isEqualTo("2026-11");
        assertThat(keyring.find("2026-10")).hasValueSatisfying(key -> assertThat(key.active()).isFalse());
        assertThat(keyring.toString()).doesNotContain(SECRET);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[]|not a JSON object",
        "{}|needs a \"keys\" array",
        "{\"keys\": []}|exactly one key must be active; 0 are",
        "{\"keys\": [{\"kid\": \"a\", \"secret\": \"c2hvcnQ\", \"active\": true}]}|HS256 needs at least 32",
        "{\"keys\": [{\"kid\": \"a\", \"secret\": \"" + SECRET + "\", \"active\": true}, {\"kid\": \"b\", \"secret\": \"" + SECRET + "\", \"active\": true}]}|exactly one key must be active; 2 are",
        "{\"keys\": [{\"kid\": \"a\", \"secret\": \"" + SECRET + "\", \"active\": true}, {\"kid\": \"a\", \"secret\": \"" + SECRET + "\"}]}|lists key a twice",
        "{\"keys\": [{\"kid\": \"a b\", \"secret\": \"" + SECRET + "\", \"active\": true}]}|key id is 1 to 64",
        "{\"keys\": [{\"kid\": \"a\", \"secret\": \"not base64!\", \"active\": true}]}|not base64url",
        "{\"keys\": [{\"secret\": \"" + SECRET + "\", \"active\": true}]}|needs \"kid\" and \"secret\"",
    })
    void aBadKeyringIsRefusedWithTheReason(String json, String reason) {
        assertThatThrownBy(() -> JwtKeyring.parse(json)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }
}
