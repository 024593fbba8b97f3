package org.heroesinwaiting.server.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.heroesinwaiting.core.auth.ClientInfo;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.auth.JwtKey;
import org.heroesinwaiting.core.auth.JwtKeyring;
import org.heroesinwaiting.core.auth.NewFacilitator;
import org.heroesinwaiting.core.auth.PasswordHasher;


/** Accounts in HTTP tests: the test keyring, a password the policy accepts, a token for a fresh account. */
public final class AuthApps {

    /** The key every test token is signed with. */
    public static final JwtKeyring KEYRING = new JwtKeyring(List.of(new JwtKey("test-key", "t".repeat(32).getBytes(StandardCharsets.US_ASCII), true)));
    /** A password the policy accepts. */
    public static final String PASSWORD = "correct horse battery staple";

    private AuthApps() {
    }

    /**
     * A hasher cheaper than production's, for a test that makes hundreds of accounts and logins and
     * is about what happens around the hash, not the hash itself (the robustness run).
     *
     * @return Argon2id at 1 MiB and one pass
     */
    public static PasswordHasher cheapHasher() {
        return new PasswordHasher(1024, 1, 1);
    }

    /**
     * @param accounts the accounts
     * @param email the account to create
     * @param role {@code facilitator} or {@code admin}
     * @return an access token of a fresh session of it
     */
    public static String tokenOf(FacilitatorAccounts accounts, String email, String role) {
        accounts.register(new NewFacilitator(email, PASSWORD, "Someone", role), ClientInfo.unknown());
        return accounts.login(email, PASSWORD, ClientInfo.unknown()).accessToken();
    }
}
