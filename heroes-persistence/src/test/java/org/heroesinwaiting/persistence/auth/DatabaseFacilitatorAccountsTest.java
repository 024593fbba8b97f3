package org.heroesinwaiting.persistence.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.AccessTokens;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.auth.ClientInfo;
import org.heroesinwaiting.core.auth.EmailTakenException;
import org.heroesinwaiting.core.auth.FacilitatorProfile;
import org.heroesinwaiting.core.auth.HashingPool;
import org.heroesinwaiting.core.auth.InvalidCredentialsException;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.core.auth.JwtKey;
import org.heroesinwaiting.core.auth.JwtKeyring;
import org.heroesinwaiting.core.auth.NewFacilitator;
import org.heroesinwaiting.core.auth.PasswordHasher;
import org.heroesinwaiting.core.auth.SecretTokens;
import org.heroesinwaiting.core.auth.ThrottledException;
import org.heroesinwaiting.core.auth.TokenPair;
import org.heroesinwaiting.core.auth.WeakPasswordException;
import org.heroesinwaiting.persistence.Fixtures;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.testkit.DatabaseClock;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.MutableClock;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Accounts and sessions as the server uses them: as heroes_app, row level security on. */
class DatabaseFacilitatorAccountsTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final String PASSWORD = "correct horse battery staple";
    private static final ClientInfo CLIENT = new ClientInfo(address("203.0.113.20"), "HeroesApp/1.0",
            Json.createObjectBuilder().add("platform", "ios").build(), "req-1");

    private final MutableClock clock = MutableClock.startingNow();
    private HashingPool hashing;
    private DatabaseFacilitatorAccounts accounts;
    private Jdbi owner;
    private DataSource ownerLogin;

    @BeforeEach
    void create(DataSource app, @Owner DataSource ownerDataSource, @Owner Jdbi ownerJdbi) {
        owner = ownerJdbi;
        ownerLogin = ownerDataSource;
        hashing = new HashingPool(1, 16);
        JwtKeyring keyring = new JwtKeyring(List.of(new JwtKey("k1", "k".repeat(32).getBytes(StandardCharsets.US_ASCII), true)));
        accounts = new DatabaseFacilitatorAccounts(Fixtures.transactions(app), PasswordHasher.standard(), hashing,
                new AccessTokens(keyring, "heroes-in-waiting", Duration.ofMinutes(15), clock), Duration.ofMinutes(15),
                Duration.ofDays(30));
    }

    @AfterEach
    void close() {
        hashing.close();
    }

    @Test
    void aRegisteredFacilitatorLogsInAndIsAuthenticated() {
        UUID id = accounts.register(new NewFacilitator(" Dana.Rivers@School.example ", PASSWORD, "Dana Rivers", "facilitator"), CLIENT);

        TokenPair tokens = accounts.login("dana.rivers@school.example", PASSWORD, CLIENT);
        AuthenticatedFacilitator who = accounts.authenticate(tokens.accessToken());

        assertThat(who.facilitatorId()).isEqualTo(id);
        assertThat(who.role()).isEqualTo("facilitator");
        assertThat(tokens.expiresIn()).isEqualTo(Duration.ofMinutes(15));
        assertThat(text("SELECT email FROM facilitators WHERE id = '" + id + "'")).isEqualTo("dana.rivers@school.example");
        assertThat(text("SELECT encode(token_hash, 'hex') FROM facilitator_sessions WHERE id = '" + who.sessionId() + "'"))
                .as("only the refresh token's hash is stored").isEqualTo(hex(SecretTokens.sha256(tokens.refreshToken())));
        assertThat(text("SELECT device_info ->> 'platform' || ' ' || host(ip_address) FROM facilitator_sessions WHERE id = '"
                + who.sessionId() + "'")).isEqualTo("ios 203.0.113.20");
        assertThat(text("SELECT string_agg(outcome, ',') FROM auth_attempts")).isEqualTo("succeeded");
    }

    @Test
    void insideARequestScopeTheSessionCheckAndTheProfileAreOneTransaction() {
        accounts.register(new NewFacilitator("scope@school.example", PASSWORD, "Scope", "facilitator"), CLIENT);
        String accessToken = accounts.login("scope@school.example", PASSWORD, CLIENT).accessToken();

        try (TransactionRunner.RequestScope request = TransactionRunner.openRequestScope()) {
            AuthenticatedFacilitator who = accounts.authenticate(accessToken);
            FacilitatorProfile me = accounts.profile(who);
            assertThat(me.email()).isEqualTo("scope@school.example");
            assertThat(request.holdsTransaction()).as("the profile took the check's transaction").isFalse();
        }
    }

    @Test
    void unknownEmailWrongPasswordAndDisabledAccountFailAlikeAndAreRecorded() {
        UUID id = accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "facilitator"), CLIENT);
        owner.useHandle(handle -> handle.execute("INSERT INTO facilitators (email, password_hash, display_name, is_active) "
                + "SELECT 'off@school.example', password_hash, 'Off', false FROM facilitators WHERE id = '" + id + "'"));

        String unknown = failure(() -> accounts.login("nobody@school.example", PASSWORD, CLIENT));
        String wrong = failure(() -> accounts.login("t@school.example", "not the password at all", CLIENT));
        String disabled = failure(() -> accounts.login("off@school.example", PASSWORD, CLIENT));

        assertThat(unknown).isEqualTo(wrong).isEqualTo(disabled).isEqualTo("the email or password is wrong");
        assertThat(text("SELECT string_agg(outcome, ',' ORDER BY id) FROM auth_attempts"))
                .isEqualTo("unknown_email,bad_credentials,account_disabled");
        assertThat(text("SELECT count(DISTINCT email_hash) FROM auth_attempts")).isEqualTo("3");
    }

    @Test
    void anEmailHasOneAccountWhateverItsCase() {
        accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "facilitator"), CLIENT);

        assertThatThrownBy(() -> accounts.register(new NewFacilitator("T@SCHOOL.example", PASSWORD, "T2", "facilitator"), CLIENT))
                .isInstanceOf(EmailTakenException.class);
    }

    @Test
    void aWeakPasswordIsRefusedBeforeAnythingIsStored() {
        assertThatThrownBy(() -> accounts.register(new NewFacilitator("t@school.example", "password1234", "T", "facilitator"), CLIENT))
                .isInstanceOf(WeakPasswordException.class);
        assertThat(text("SELECT count(*) FROM facilitators")).isEqualTo("0");
    }

    @Test
    void aRefreshRotatesAndPresentingTheOldTokenAgainRevokesTheSessionAndRaisesAnIncident() {
        accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "facilitator"), CLIENT);
        TokenPair first = accounts.login("t@school.example", PASSWORD, CLIENT);

        TokenPair second = accounts.refresh(first.refreshToken(), CLIENT);
        AuthenticatedFacilitator who = accounts.authenticate(second.accessToken());
        assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());

        assertThatThrownBy(() -> accounts.refresh(first.refreshToken(), CLIENT))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("reused");
        assertThat(text("SELECT revoke_reason FROM facilitator_sessions WHERE id = '" + who.sessionId() + "'"))
                .isEqualTo("refresh_token_reused");
        assertThat(text("SELECT incident_type || ' ' || severity || ' ' || host(ip_address) FROM security_incidents"))
                .isEqualTo("refresh_token_reuse high 203.0.113.20");
        assertThatThrownBy(() -> accounts.refresh(second.refreshToken(), CLIENT)).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> accounts.authenticate(second.accessToken()))
                .as("a revoked session stops at once, before its access token expires")
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void logoutEndsTheSessionAndLogoutAllEndsEvery() {
        accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "facilitator"), CLIENT);
        TokenPair phone = accounts.login("t@school.example", PASSWORD, CLIENT);
        TokenPair laptop = accounts.login("t@school.example", PASSWORD, CLIENT);
        TokenPair tablet = accounts.login("t@school.example", PASSWORD, CLIENT);

        accounts.logout(accounts.authenticate(phone.accessToken()));
        assertThatThrownBy(() -> accounts.authenticate(phone.accessToken())).isInstanceOf(InvalidTokenException.class);
        assertThat(accounts.authenticate(laptop.accessToken()).role()).isEqualTo("facilitator");

        accounts.logoutAll(accounts.authenticate(laptop.accessToken()));
        assertThatThrownBy(() -> accounts.authenticate(laptop.accessToken())).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> accounts.authenticate(tablet.accessToken())).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void changingThePasswordEndsEveryOtherSession() {
        accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "facilitator"), CLIENT);
        TokenPair here = accounts.login("t@school.example", PASSWORD, CLIENT);
        TokenPair elsewhere = accounts.login("t@school.example", PASSWORD, CLIENT);
        AuthenticatedFacilitator who = accounts.authenticate(here.accessToken());

        assertThatThrownBy(() -> accounts.changePassword(who, "not the password at all", "another fine long passphrase"))
                .isInstanceOf(InvalidCredentialsException.class);
        accounts.changePassword(who, PASSWORD, "another fine long passphrase");

        assertThat(accounts.authenticate(here.accessToken()).sessionId()).isEqualTo(who.sessionId());
        assertThatThrownBy(() -> accounts.authenticate(elsewhere.accessToken())).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> accounts.login("t@school.example", PASSWORD, CLIENT)).isInstanceOf(InvalidCredentialsException.class);
        assertThat(accounts.login("t@school.example", "another fine long passphrase", CLIENT).accessToken()).isNotBlank();
    }

    @Test
    void aHashMadeWithWeakerParametersIsReplacedAtLogin() {
        UUID id = accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "facilitator"), CLIENT);
        String weaker = new PasswordHasher(4096, 1, 1).hash(PASSWORD);
        owner.useHandle(handle -> handle.createUpdate("UPDATE facilitators SET password_hash = :h WHERE id = :id")
                .bind("h", weaker).bind("id", id).execute());

        accounts.login("t@school.example", PASSWORD, CLIENT);

        assertThat(text("SELECT password_hash FROM facilitators WHERE id = '" + id + "'")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void anExpiredSessionNeitherRefreshesNorAuthenticates() {
        accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "facilitator"), CLIENT);
        TokenPair tokens = accounts.login("t@school.example", PASSWORD, CLIENT);

        // 31 days later on the clock that judges sessions; the access token itself is Java's and still valid
        DatabaseClock.backdate(ownerLogin, "facilitator_sessions", Duration.ofDays(31), "true");

        assertThatThrownBy(() -> accounts.refresh(tokens.refreshToken(), CLIENT))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("revoked or expired");
        assertThatThrownBy(() -> accounts.authenticate(tokens.accessToken())).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void fiveFailuresForAnEmailLockItWithWaitsThatDoubleAndOneIncidentPerLockout() {
        accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "facilitator"), CLIENT);
        for (int i = 0; i < 5; i++) {
            failure(() -> accounts.login("t@school.example", "not the password at all", CLIENT));
        }

        assertThatThrownBy(() -> accounts.login("t@school.example", PASSWORD, CLIENT))
                .isInstanceOf(ThrottledException.class)
                .satisfies(e -> assertThat(((ThrottledException) e).retryAfter()).isEqualTo(Duration.ofSeconds(30)));
        assertThat(text("SELECT count(*) FROM security_incidents WHERE incident_type = 'failed_login'")).isEqualTo("1");
        assertThat(text("SELECT host(ip_address) FROM security_incidents")).isEqualTo("203.0.113.20");

        DatabaseClock.backdate(ownerLogin, "auth_attempts", Duration.ofSeconds(31), "true");
        failure(() -> accounts.login("t@school.example", "still not the password", CLIENT));
        assertThatThrownBy(() -> accounts.login("t@school.example", PASSWORD, CLIENT))
                .isInstanceOf(ThrottledException.class)
                .satisfies(e -> assertThat(((ThrottledException) e).retryAfter()).isEqualTo(Duration.ofSeconds(60)));
        assertThat(text("SELECT count(*) FROM security_incidents")).isEqualTo("2");

        DatabaseClock.backdate(ownerLogin, "auth_attempts", Duration.ofSeconds(61), "true");
        assertThat(accounts.login("t@school.example", PASSWORD, CLIENT).accessToken()).isNotBlank();
        assertThat(text("SELECT count(*) FROM auth_attempts WHERE outcome = 'throttled'")).isEqualTo("2");
    }

    @Test
    void anUnknownEmailIsThrottledExactlyLikeAKnownOne() {
        for (int i = 0; i < 5; i++) {
            failure(() -> accounts.login("ghost@school.example", "whatever it may be", CLIENT));
        }

        assertThatThrownBy(() -> accounts.login("ghost@school.example", "whatever it may be", CLIENT))
                .isInstanceOf(ThrottledException.class)
                .satisfies(e -> assertThat(((ThrottledException) e).retryAfter()).isEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void anAddressWithTwoHundredFailuresAcrossEmailsIsClosedButOtherAddressesAreNot() {
        accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "facilitator"), CLIENT);
        owner.useHandle(handle -> handle.createUpdate("""
                INSERT INTO auth_attempts (email_hash, ip_address, outcome, attempted_at)
                SELECT sha256(('stuffed' || i)::bytea), '198.51.100.66', 'bad_credentials', now() - make_interval(secs => i)
                  FROM generate_series(1, 200) i""").execute());
        ClientInfo stuffer = new ClientInfo(address("198.51.100.66"), "curl", null, null);

        assertThatThrownBy(() -> accounts.login("t@school.example", PASSWORD, stuffer)).isInstanceOf(ThrottledException.class);
        assertThat(accounts.login("t@school.example", PASSWORD, CLIENT).accessToken()).isNotBlank();
    }

    @Test
    void aWholeClassLoggingInCorrectlyFromOneAddressIsNeverSlowed() {
        accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "facilitator"), CLIENT);
        for (int i = 0; i < 40; i++) {
            assertThat(accounts.login("t@school.example", PASSWORD, CLIENT).accessToken()).isNotBlank();
        }
        failure(() -> accounts.login("t@school.example", "one typo in the morning", CLIENT));
        assertThat(accounts.login("t@school.example", PASSWORD, CLIENT).accessToken()).isNotBlank();
    }

    @Test
    void registeringTakenEmailsIsThrottledLikeLogins() {
        accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "facilitator"), CLIENT);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> accounts.register(new NewFacilitator("t@school.example", PASSWORD, "Probe", "facilitator"), CLIENT))
                    .isInstanceOf(EmailTakenException.class);
        }

        assertThatThrownBy(() -> accounts.register(new NewFacilitator("t@school.example", PASSWORD, "Probe", "facilitator"), CLIENT))
                .isInstanceOf(ThrottledException.class);
    }

    @Test
    void aFacilitatorSeesTheirProfileAndLiveSessionsAndEndsOnlyTheirOwn() {
        UUID id = accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "facilitator"), CLIENT);
        accounts.register(new NewFacilitator("u@school.example", PASSWORD, "U", "facilitator"), CLIENT);
        AuthenticatedFacilitator phone = accounts.authenticate(accounts.login("t@school.example", PASSWORD, CLIENT).accessToken());
        AuthenticatedFacilitator laptop = accounts.authenticate(accounts.login("t@school.example", PASSWORD,
                new ClientInfo(address("198.51.100.8"), null, null, null)).accessToken());
        TokenPair otherTokens = accounts.login("u@school.example", PASSWORD, CLIENT);
        AuthenticatedFacilitator other = accounts.authenticate(otherTokens.accessToken());

        assertThat(accounts.profile(phone).email()).isEqualTo("t@school.example");
        assertThat(accounts.profile(phone).id()).isEqualTo(id);
        assertThat(accounts.sessions(phone)).hasSize(2)
                .anySatisfy(session -> assertThat(session.current()).isTrue())
                .anySatisfy(session -> assertThat(session.ipAddress()).isEqualTo("198.51.100.8"));
        assertThat(accounts.revokeSession(phone, other.sessionId())).as("not theirs").isFalse();
        assertThat(accounts.authenticate(otherTokens.accessToken()).sessionId()).isEqualTo(other.sessionId());
        assertThat(accounts.revokeSession(phone, laptop.sessionId())).isTrue();
        assertThat(accounts.sessions(phone)).extracting(session -> session.id()).containsExactly(phone.sessionId());
    }

    @Test
    void everyTransactionOfARequestChecksItsSessionAndTakesTheRoleFromTheAccount(DataSource app) {
        UUID id = accounts.register(new NewFacilitator("t@school.example", PASSWORD, "T", "admin"), CLIENT);
        AuthenticatedFacilitator who = accounts.verifyToken(accounts.login("t@school.example", PASSWORD, CLIENT).accessToken());
        TransactionRunner transactions = Fixtures.transactions(app);
        org.heroesinwaiting.core.actor.ActorContext actor =
                org.heroesinwaiting.core.actor.ActorContext.session(who.facilitatorId(), who.sessionId(), true, "r", null);
        String before = transactions.inTransaction(actor, handle -> handle.createQuery("SELECT app.actor_role()").mapTo(String.class).one());
        assertThat(before).isEqualTo("admin");

        owner.useHandle(handle -> handle.execute("UPDATE facilitators SET role = 'facilitator' WHERE id = '" + id + "'"));
        String after = transactions.inTransaction(actor, handle -> handle.createQuery("SELECT app.actor_role()").mapTo(String.class).one());
        assertThat(after).as("the account says, not the token").isEqualTo("facilitator");

        accounts.logout(who);
        assertThatThrownBy(() -> transactions.inTransaction(actor, handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one()))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("the session has ended");
    }

    private String text(String sql) {
        return owner.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
    }

    private static String failure(Runnable login) {
        try {
            login.run();
        } catch (InvalidCredentialsException e) {
            return e.getMessage();
        }
        throw new AssertionError("the login succeeded");
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
