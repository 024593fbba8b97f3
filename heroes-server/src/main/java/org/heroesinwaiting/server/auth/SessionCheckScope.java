package org.heroesinwaiting.server.auth;

import io.javalin.http.Context;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.heroesinwaiting.persistence.TransactionRunner;

/**
 * Makes a facilitator's GET one transaction: {@link Authentication}'s session check keeps its
 * transaction open and the handler's first unit of work for that session continues it
 * ({@link TransactionRunner#openRequestScope}), so {@code GET /api/v1/me} goes to the pool once and
 * makes three round trips, not two trips to the pool and four round trips. The check is not
 * skipped, cached or deferred: it still runs before the handler, and a revoked session still stops
 * the request at once.
 *
 * <p>Only for a GET (or a HEAD) without a body: a held connection must never wait for a client to
 * send its body. Not for a route students may call too (the curriculum's): it answers from a
 * cache, and a transaction held for nothing would cost a rollback ({@link Authentication}).
 * {@link #release} returns a transaction no unit took as soon as the handlers are done, before the
 * answer is written, so no connection waits on a slow reader either; the filter's {@code finally}
 * is the backstop for every way out of the request.
 */
public final class SessionCheckScope implements Filter {

    private static final String ATTRIBUTE = "heroes.sessionCheckScope";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !isBodilessRead(http)) {
            chain.doFilter(request, response);
            return;
        }
        try (TransactionRunner.RequestScope scope = TransactionRunner.openRequestScope()) {
            request.setAttribute(ATTRIBUTE, scope);
            chain.doFilter(request, response);
        }
    }

    /**
     * Closes the request's scope: returns its held transaction, if no unit of work took it, and
     * keeps nothing more. An after-handler, so that it runs before the answer is written, whatever
     * the handlers threw; and the guard's, before a check that has nothing to keep.
     *
     * @param ctx the request
     */
    public static void release(Context ctx) {
        if (ctx.req().getAttribute(ATTRIBUTE) instanceof TransactionRunner.RequestScope scope) {
            scope.close();
        }
    }

    private static boolean isBodilessRead(HttpServletRequest request) {
        String method = request.getMethod();
        return ("GET".equals(method) || "HEAD".equals(method)) && request.getContentLengthLong() <= 0
                && request.getHeader("Transfer-Encoding") == null;
    }
}
