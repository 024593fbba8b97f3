package org.heroesinwaiting.core.auth;

/**
 * The answer of {@link PasswordHasher#verify}.
 *
 * @param matches whether the password is the one the hash was made from
 * @param needsRehash whether the hash was made with other parameters than today's (hash again at login)
 */
public record PasswordCheck(boolean matches, boolean needsRehash) {
}
