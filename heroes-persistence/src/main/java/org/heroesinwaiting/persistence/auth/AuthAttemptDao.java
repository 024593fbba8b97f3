package org.heroesinwaiting.persistence.auth;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Login attempts, by email hash and address: what the throttle counts. */
public interface AuthAttemptDao {

    /** A row of {@code app.login_throttle}: how long to wait, and why. */
    record Throttle(int retryAfterSeconds, String reason) {
    }

    @SqlQuery("SELECT retry_after_seconds, reason FROM app.login_throttle(:hash, CAST(:ip AS inet))")
    Optional<Throttle> throttle(@Bind("hash") byte[] emailHash, @Bind("ip") String ip);

    @SqlUpdate("""
            INSERT INTO auth_attempts (email_hash, facilitator_id, ip_address, user_agent, outcome, attempted_at)
            VALUES (:hash, :facilitator, CAST(:ip AS inet), :agent, :outcome, now())""")
    void record(@Bind("hash") byte[] emailHash, @Bind("facilitator") UUID facilitator, @Bind("ip") String ip, @Bind("agent") String userAgent,
            @Bind("outcome") String outcome);
}
