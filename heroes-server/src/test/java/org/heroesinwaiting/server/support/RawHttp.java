package org.heroesinwaiting.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for tests that send what a well-behaved client library refuses to
 * (any method, NUL bytes, broken chunking, odd charsets) and read exactly what came back. Every
 * request asks the server to close the connection, so the answer is everything until then.
 */
public final class RawHttp {

    /** What came back: the status, the headers (names lower-cased; the last of repeated ones), the body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {

        /** @return the body as UTF-8 text */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** @param name a header name, any case @return its value, or null */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /**
     * @param port the server's port on localhost
     * @param method any token, sent as is
     * @param target the request target, sent as is
     * @param headers header lines ({@code "Name: value"}), sent as is
     * @param body the body, or null; sent with its Content-Length unless a header says otherwise
     * @return the answer
     */
    public static Answer send(int port, String method, String target, String[] headers, byte[] body) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        write(request, method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        boolean framed = false;
        for (String header : headers) {
            String lower = header.toLowerCase(Locale.ROOT);
            framed |= lower.startsWith("content-length:") || lower.startsWith("transfer-encoding:");
            write(request, header + "\r\n");
        }
        if (body != null && !framed) {
            write(request, "Content-Length: " + body.length + "\r\n");
        }
        write(request, "\r\n");
        boolean expectContinue = java.util.Arrays.stream(headers).anyMatch(h -> h.equalsIgnoreCase("Expect: 100-continue"));
        if (body != null && expectContinue) {
            return exchangeExpecting(port, request.toByteArray(), body);
        }
        if (body != null) {
            request.writeBytes(body);
        }
        return exchange(port, request.toByteArray());
    }

    /**
     * With {@code Expect: 100-continue}, as a careful client sends a large body: the headers first,
     * the body only after {@code 100 Continue}. A server that refuses the body (413) answers at once
     * and never reads it, so the connection closes cleanly instead of being reset mid-upload.
     */
    private static Answer exchangeExpecting(int port, byte[] head, byte[] body) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.flush();
            java.io.InputStream in = socket.getInputStream();
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            while (!first.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                first.write(b);
            }
            if (first.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 100")) {
                out.write(body);
                out.flush();
                socket.shutdownOutput();
                return parse(in.readAllBytes());
            }
            first.writeBytes(in.readAllBytes());
            return parse(first.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param port the server's port on localhost
     * @param request the whole request, bytes as they go on the wire
     * @return the answer
     */
    public static Answer exchange(int port, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException answeredEarly) {
                // a server may answer (413, 400) and close before it has read a large body: the
                // write then fails with a broken pipe, and the answer is still there to read
            }
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer parse(byte[] raw) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (end < 0) {
            throw new IllegalStateException("no complete answer: " + new String(raw, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Answer(status, headers, body);
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, new byte[] {'\r', '\n'}, at);
            String sizeText = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
