package org.heroesinwaiting.server.auth;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.heroesinwaiting.server.http.FieldError;
import org.heroesinwaiting.server.http.ProblemException;

/** The bodies of the authentication endpoints, each able to say what is missing or malformed in it. */
final class AuthRequests {

    private AuthRequests() {
    }

    /** Its rules are core's ({@code NewFacilitator}). */
    record Register(String email, String password, String displayName) {
    }

    record Login(String email, String password, JsonObject deviceInfo) {
        Login validated() {
            List<FieldError> errors = new ArrayList<>();
            required(errors, "/email", email);
            required(errors, "/password", password);
            if (deviceInfo != null && deviceInfo.toString().getBytes(StandardCharsets.UTF_8).length > 1024) {
                errors.add(new FieldError("/device_info", "must be at most 1024 bytes of JSON"));
            }
            return check(errors, this);
        }
    }

    record Refresh(String refreshToken) {
        Refresh validated() {
            List<FieldError> errors = new ArrayList<>();
            required(errors, "/refresh_token", refreshToken);
            return check(errors, this);
        }
    }

    record PasswordChange(String currentPassword, String newPassword) {
        PasswordChange validated() {
            List<FieldError> errors = new ArrayList<>();
            required(errors, "/current_password", currentPassword);
            required(errors, "/new_password", newPassword);
            return check(errors, this);
        }
    }

    private static void required(List<FieldError> errors, String pointer, String value) {
        if (value == null) {
            errors.add(new FieldError(pointer, "is required"));
        } else if (value.length() > 1024) {
            errors.add(new FieldError(pointer, "is too long"));
        }
    }

    private static <T> T check(List<FieldError> errors, T request) {
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return request;
    }
}
