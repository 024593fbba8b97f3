package org.heroesinwaiting.persistence.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.audit.SecurityIncident;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Security incidents: written by the account services, read and handled by administrators only (row level security). */
public interface SecurityIncidentDao {

    /** The columns an incident is read by. */
    String COLUMNS = """
            id, incident_type, severity, description, host(ip_address) AS ip_address, facilitator_id, details, status,
            created_at, resolved_at""";

    @SqlUpdate("""
            INSERT INTO security_incidents (incident_type, severity, description, ip_address, facilitator_id, details)
            VALUES ('failed_login', 'medium', 'Multiple failed login attempts', CAST(:ip AS inet), :facilitator,
                    jsonb_build_object('throttled_by', CAST(:reason AS text), 'retry_after_seconds', :seconds))""")
    void failedLogins(@Bind("ip") String ip, @Bind("facilitator") UUID facilitator, @Bind("reason") String reason,
            @Bind("seconds") int retryAfterSeconds);

    @SqlUpdate("""
            INSERT INTO security_incidents (incident_type, severity, description, ip_address, facilitator_id, details)
            VALUES ('refresh_token_reuse', 'high', 'An already exchanged refresh token was presented; the session was revoked',
                    CAST(:ip AS inet), :facilitator, jsonb_build_object('session_id', CAST(:session AS text)))""")
    void refreshTokenReused(@Bind("ip") String ip, @Bind("facilitator") UUID facilitator, @Bind("session") String session);

    @SqlQuery("SELECT " + COLUMNS + """
             \sFROM security_incidents
             WHERE (CAST(:status AS text) IS NULL OR status = :status)
               AND (CAST(:type AS text) IS NULL OR incident_type = :type)
               AND (CAST(:since AS timestamptz) IS NULL OR created_at >= :since)
               AND (CAST(:at AS timestamptz) IS NULL OR (created_at, id) < (CAST(:at AS timestamptz), CAST(:before AS uuid)))
             ORDER BY created_at DESC, id DESC LIMIT :limit""")
    List<SecurityIncident> list(@Bind("status") String status, @Bind("type") String type, @Bind("since") Instant since,
            @Bind("at") Instant at, @Bind("before") UUID before, @Bind("limit") int limit);

    @SqlQuery("""
            UPDATE security_incidents
               SET status = :status, resolved_at = CASE WHEN :status = 'resolved' THEN coalesce(resolved_at, now()) END
             WHERE id = :id
            RETURNING\s""" + COLUMNS)
    Optional<SecurityIncident> setStatus(@Bind("id") UUID id, @Bind("status") String status);
}
