package org.heroesinwaiting.core.auth;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which passwords an adult may choose (OWASP ASVS): 12 to 128 characters, no composition rules,
 * refused when easy to guess. zxcvbn scores it against its list of common passwords, dictionary
 * words and patterns, with the person's email and name as extra words an attacker would try first.
 *
 * <pre>{@code
 * PasswordPolicy.standard().check(password, email, displayName); // throws WeakPasswordException
 * }</pre>
 */
public final class PasswordPolicy {

    /** The shortest password accepted. */
    public static final int MINIMUM_LENGTH = 12;
    /** The longest password accepted (hashing a longer one is work an attacker could make us do). */
    public static final int MAXIMUM_LENGTH = 128;
    /** zxcvbn's score from 0 (guessable) to 4 (very unguessable): at least 3 is required. */
    public static final int MINIMUM_SCORE = 3;

    private static final PasswordPolicy STANDARD = new PasswordPolicy();

    private final Zxcvbn zxcvbn = new Zxcvbn();

    private PasswordPolicy() {
    }

    /** @return the product's policy */
    public static PasswordPolicy standard() {
        return STANDARD;
    }

    /**
     * @param password the candidate
     * @param email the account's email (it and its parts count as guessable words)
     * @param displayName the account's name (likewise)
     * @throws WeakPasswordException listing every reason it is refused
     */
    public void check(String password, String email, String displayName) {
        List<String> reasons = new ArrayList<>();
        int length = password == null ? 0 : password.codePointCount(0, password.length());
        if (length < MINIMUM_LENGTH) {
            reasons.add("use at least " + MINIMUM_LENGTH + " characters");
        }
        if (length > MAXIMUM_LENGTH) {
            reasons.add("use at most " + MAXIMUM_LENGTH + " characters");
        }
        if (reasons.isEmpty()) {
            List<String> personal = personalWords(email, displayName);
            String lower = password.toLowerCase(Locale.ROOT);
            boolean containsPersonal = identifyingWords(email, displayName).stream()
                    .anyMatch(word -> word.length() >= 4 && lower.contains(word));
            Strength strength = zxcvbn.measure(password, personal);
            if (containsPersonal) {
                reasons.add("do not build it from your email or name");
            } else if (strength.getScore() < MINIMUM_SCORE) {
                String warning = strength.getFeedback() == null ? "" : strength.getFeedback().getWarning();
                reasons.add(warning == null || warning.isBlank()
                        ? "it is too easy to guess: add words or characters that are not a common pattern"
                        : warning.replaceAll("\\.$", ""));
            }
        }
        if (!reasons.isEmpty()) {
            throw new WeakPasswordException(reasons);
        }
    }

    /** The email's local part and the name's parts: what says who the person is. */
    private static List<String> identifyingWords(String email, String displayName) {
        List<String> words = new ArrayList<>();
        if (email != null && email.contains("@")) {
            words.add(email.toLowerCase(Locale.ROOT).trim().substring(0, email.trim().indexOf('@')));
        }
        if (displayName != null && !displayName.isBlank()) {
            for (String part : displayName.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
                words.add(part);
            }
        }
        return words;
    }

    private static List<String> personalWords(String email, String displayName) {
        List<String> words = new ArrayList<>();
        if (email != null && !email.isBlank()) {
            String lower = email.toLowerCase(Locale.ROOT).trim();
            words.add(lower);
            for (String part : lower.split("[@._+-]+")) {
                if (!part.isBlank()) {
                    words.add(part);
                }
            }
        }
        if (displayName != null && !displayName.isBlank()) {
            for (String part : displayName.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
                words.add(part);
            }
        }
        return words;
    }
}
