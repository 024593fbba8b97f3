package org.heroesinwaiting.server.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.heroesinwaiting.server.config.CidrList;

/**
 * The client's address: the socket's peer, or, when the peer is a trusted proxy, the nearest
 * address in {@code X-Forwarded-For} that is not itself a trusted proxy (walking from the right, so a
 * client cannot forge its way past the proxies).
 */
public final class ClientAddresses {

    /** The request attribute that keeps a request's answer: the handler and the access log both ask. */
    private static final String ATTRIBUTE = ClientAddresses.class.getName();

    private final CidrList trustedProxies;

    /**
     * @param trustedProxies proxies whose {@code X-Forwarded-For} is believed
     */
    public ClientAddresses(CidrList trustedProxies) {
        this.trustedProxies = requireNonNull(trustedProxies, "trustedProxies");
    }

    /**
     * @param ctx the request
     * @return the client's address, worked out once per request
     */
    public InetAddress of(Context ctx) {
        Resolved known = ctx.attribute(ATTRIBUTE);
        if (known == null || known.by() != this) {
            known = new Resolved(this, resolve(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For")));
            ctx.attribute(ATTRIBUTE, known);
        }
        return known.address();
    }

    /** An answer, and which instance (which trusted proxies) gave it. */
    private record Resolved(ClientAddresses by, InetAddress address) {
    }

    /**
     * @param peer the socket peer's address
     * @param forwardedFor the {@code X-Forwarded-For} header, or {@code null}
     * @return the client's address
     */
    public InetAddress resolve(String peer, String forwardedFor) {
        InetAddress address = literal(peer);
        if (forwardedFor == null || !trustedProxies.contains(address)) {
            return address;
        }
        List<String> hops = List.of(forwardedFor.split(","));
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i).trim();
            InetAddress hopAddress;
            try {
                hopAddress = literal(hop);
            } catch (IllegalArgumentException e) {
                return address; // a malformed entry: believe nothing further left
            }
            address = hopAddress;
            if (!trustedProxies.contains(hopAddress)) {
                return hopAddress;
            }
        }
        return address;
    }

    private static InetAddress literal(String text) {
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (host.isEmpty() || !(host.contains(":") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }
}
