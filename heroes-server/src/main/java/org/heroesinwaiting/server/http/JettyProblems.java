package org.heroesinwaiting.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error answers as problem documents. Jetty refuses some requests before any handler of
 * ours runs: a path with {@code %00} or an overlong UTF-8 escape, a NUL in a header, headers over
 * its buffer, a URI over its limit, a body whose chunked framing is broken. Its default answer is
 * an HTML page with no request id; API.md promises {@code application/problem+json} with
 * {@code request_id} for every error, so this renders the same document {@link Problems} does,
 * with an {@code X-Request-Id}. The detail names the status only: Jetty's own message can quote
 * what the client sent, and it may hold anything.
 */
public final class JettyProblems extends ErrorHandler {

    /** Installed as the server's and the servlet context's error handler. */
    public JettyProblems() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true; // every method gets its problem document, not only GET and POST
    }

    /** A request Jetty could not parse: called with no request to hand, before any handler. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String requestId = RequestIds.accept(null);
        fields.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        fields.put(RequestIds.HEADER, requestId);
        return ByteBuffer.wrap(document(ProblemType.ofStatus(status), status, null, requestId));
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        String requestId = RequestIds.accept(request.getHeaders().get(RequestIds.HEADER));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.getHeaders().put(new HttpField(RequestIds.HEADER, requestId));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(document(ProblemType.ofStatus(code), code, request.getHttpURI().getPath(), requestId)),
                callback);
    }

    private static byte[] document(ProblemType type, int status, String instance, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", status);
        body.put("detail", type.description());
        // RFC 9457: a URI reference naming this occurrence; when Jetty could not read a path, the request's own id
        body.put("instance", instance != null ? instance : "urn:uuid:" + requestId);
        body.put("request_id", requestId);
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }
}
