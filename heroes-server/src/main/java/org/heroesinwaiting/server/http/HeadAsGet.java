package org.heroesinwaiting.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * HEAD answers what GET would, without the body (RFC 9110 9.3.2): the same status, the same guard
 * (a HEAD on an admin route is 401 or 403 exactly when GET is), {@code ETag}, {@code Content-Type}
 * and {@code Content-Length}. Javalin alone answers a HEAD on a GET route with an empty 200 and
 * runs none of its handlers; so the route sees a GET, and Jetty, which knows the request on the
 * wire was a HEAD, sends the headers and drops the body. No route registers HEAD itself.
 */
public final class HeadAsGet implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && "HEAD".equals(http.getMethod())) {
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public String getMethod() {
                    return "GET";
                }
            }, response);
        } else {
            chain.doFilter(request, response);
        }
    }
}
