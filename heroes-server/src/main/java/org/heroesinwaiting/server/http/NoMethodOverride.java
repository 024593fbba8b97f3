package org.heroesinwaiting.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns method override off. Javalin routes by {@code X-HTTP-Method-Override} when a request
 * carries it, so a GET with {@code X-HTTP-Method-Override: DELETE} would archive a classroom; a GET
 * or HEAD must never change anything. This servlet filter hides that header (and its two common
 * spellings) from everything after it, so a request is routed by the method on its request line.
 */
public final class NoMethodOverride implements Filter {

    private static final Set<String> HIDDEN = Set.of("x-http-method-override", "x-http-method", "x-method-override");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && carriesOverride(http)) {
            chain.doFilter(new Hiding(http), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private static boolean carriesOverride(HttpServletRequest request) {
        for (String name : HIDDEN) {
            if (request.getHeader(name) != null) {
                return true;
            }
        }
        return false;
    }

    private static boolean hidden(String name) {
        return name != null && HIDDEN.contains(name.toLowerCase(Locale.ROOT));
    }

    private static final class Hiding extends HttpServletRequestWrapper {

        Hiding(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(NoMethodOverride::hidden);
            return Collections.enumeration(names);
        }
    }
}
