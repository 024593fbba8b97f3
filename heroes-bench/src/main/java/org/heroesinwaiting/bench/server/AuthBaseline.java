package org.heroesinwaiting.bench.server;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.javalin.Javalin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.UUID;
import javax.sql.DataSource;
import org.heroesinwaiting.persistence.DatabaseSettings;
import org.heroesinwaiting.persistence.PooledDataSources;

/**
 * The baseline of an authenticated GET: the same work as the server's {@code GET /api/v1/me},
 * written by hand on bare Javalin, nimbus and JDBC: check the token's signature, set the actor
 * context, check the session is live and read the profile in one transaction, write the JSON.
 * Arguments: port, JDBC URL, user, password, HS256 secret (base64url).
 */
public final class AuthBaseline {

    private AuthBaseline() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        DataSource pool = PooledDataSources.create(DatabaseSettings.of(args[1], args[2], args[3]));
        MACVerifier verifier = new MACVerifier(Base64.getUrlDecoder().decode(args[4]));
        Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/baseline/me", ctx -> {
                String header = ctx.header("Authorization");
                SignedJWT jwt = SignedJWT.parse(header.substring(7));
                if (!jwt.verify(verifier)) {
                    ctx.status(401);
                    return;
                }
                JWTClaimsSet claims = jwt.getJWTClaimsSet();
                UUID facilitator = UUID.fromString(claims.getSubject());
                UUID session = UUID.fromString(claims.getStringClaim("sid"));
                try (Connection connection = pool.getConnection()) {
                    connection.setAutoCommit(false);
                    try (PreparedStatement context = connection.prepareStatement(
                            "SELECT app.set_context(?, NULL, 'facilitator', NULL, NULL)");
                            PreparedStatement me = connection.prepareStatement("""
                                    SELECT f.id, f.email, f.display_name, f.role, f.created_at, f.last_login_at
                                      FROM facilitator_sessions s JOIN facilitators f ON f.id = s.facilitator_id
                                     WHERE s.id = ? AND s.facilitator_id = ? AND s.revoked_at IS NULL AND s.expires_at > now() AND f.is_active""")) {
                        context.setObject(1, facilitator);
                        context.executeQuery().close();
                        me.setObject(1, session);
                        me.setObject(2, facilitator);
                        try (ResultSet rs = me.executeQuery()) {
                            if (!rs.next()) {
                                ctx.status(401);
                            } else {
                                ctx.contentType("application/json").result("{\"id\":\"" + rs.getString(1) + "\",\"email\":\"" + rs.getString(2)
                                        + "\",\"display_name\":\"" + rs.getString(3) + "\",\"role\":\"" + rs.getString(4)
                                        + "\",\"created_at\":\"" + rs.getTimestamp(5).toInstant() + "\",\"last_login_at\":\""
                                        + rs.getTimestamp(6).toInstant() + "\"}");
                            }
                        }
                    }
                    connection.commit();
                }
            });
        }).start(port);
    }
}
