package plaza.platform.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * HTTP/1.1 message framing and semantics that Helidon 4.1.2 leaves to the application (RFC 9110, RFC 9112),
 * checked once per request in front of every route:
 * <ul>
 * <li>ambiguous framing — no Host on HTTP/1.1, several Host headers, differing or non-numeric
 * Content-Length values, Content-Length with Transfer-Encoding, a transfer coding other than
 * {@code chunked} — is a 400 problem and the connection is closed, since where the body ends is
 * unknown (request smuggling; {@code Content-Length: -1} otherwise waited for ever);</li>
 * <li>a chunked body Helidon cannot read — a malformed chunk size ({@code zz}, {@code -1}, 2^64),
 * chunk extensions ({@code 11;ext=1}) or trailer fields — is a 400, and one over the size limit a
 * 413 like a Content-Length body, again closing the connection (its parser throws number format
 * errors, a 500 before, and then read the rest of the body as the next request);</li>
 * <li>a Content-Type that is not a media type, a charset other than UTF-8, or a
 * Content-Encoding (request bodies are not decoded) is a 415 problem;</li>
 * <li>HEAD is answered by the GET route without its body; a request with {@code Connection: close}
 * and every HTTP/1.0 request ({@link Http10Selector}) get their connection closed after the
 * response, as RFC 9112 §9.6 asks and Helidon does not.</li>
 * </ul>
 * Used by PlazaServer as {@code filter(req, res, framed -> observe(() -> framed.proceed(rest)))}: the
 * answers of {@link #proceed} are observed (counted, logged); closing happens outside.
 */
public final class HttpFraming {

    /** The request being answered on this thread, for {@link ResponseEncoding} (HEAD, content type). */
    private static final ThreadLocal<HttpFraming> CURRENT = new ThreadLocal<>();
    private static final String CHUNKED_DETAIL = "The chunked request body is malformed: each chunk must start with its size "
            + "in hexadecimal on a line of its own; chunk extensions (';name=value') and trailer fields are not accepted. "
            + "Send the body with Content-Length, or as plain chunks.";

    private final RoutingRequest req;
    private final RoutingResponse res;
    private boolean closing;
    private boolean head;
    private ProblemException bodyProblem;

    private HttpFraming(RoutingRequest req, RoutingResponse res) {
        this.req = req;
        this.res = res;
    }

    /**
     * Runs {@code observed} (which calls {@link #proceed}) and closes the connection afterwards when
     * the request's framing failed, it asked for {@code Connection: close}, or it was HTTP/1.0.
     */
    public static void filter(RoutingRequest req, RoutingResponse res, Consumer<HttpFraming> observed) {
        HttpFraming framing = new HttpFraming(req, res);
        try {
            observed.accept(framing);
        } catch (RuntimeException e) {
            if (!framing.closing || e instanceof CloseConnectionException) {
                throw e;
            }
            // Helidon's error handling would answer after this filter, too late to close the connection after it.
            if (res.reset()) {
                res.header(HeaderValues.CONNECTION_CLOSE);
                Problems.sendError(req, res, e);
            }
        }
        if (framing.closing) {
            throw new CloseConnectionException("Connection closed after the response (Connection: close, HTTP/1.0 or broken framing)");
        }
    }

    /** Checks the request's framing and content headers, then runs the rest of the filter chain. */
    public void proceed(Runnable handling) {
        ServerRequestHeaders headers = req.headers();
        HttpPrologue prologue = req.prologue();
        Method method = prologue.method();
        head = method == Method.HEAD;
        boolean hasBody = headers.contains(HeaderNames.TRANSFER_ENCODING)
                || headers.contains(HeaderNames.CONTENT_LENGTH) && !"0".equals(headers.get(HeaderNames.CONTENT_LENGTH).get());
        // Only what ResponseEncoding or Problems will ask about; a plain GET (the benchmark's) skips the thread-local.
        boolean scoped = head || hasBody || headers.contains(HeaderNames.ACCEPT_ENCODING);
        if (scoped) {
            CURRENT.set(this);
        }
        try {
            if (!acceptable(headers, method, hasBody)) {
                return; // answered
            }
            if (hasBody) {
                // Before anything touches req.content(): Helidon applies stream filters when it creates the entity.
                req.streamFilter(GuardedBody::new);
            }
            if (head) {
                req.prologue(HttpPrologue.create(prologue.rawProtocol(), prologue.protocol(), prologue.protocolVersion(),
                                                 Method.GET, prologue.uriPath(), prologue.query(), prologue.fragment()));
            }
            try {
                // Handlers' own failures are answered inside (Helidon's error handling wraps the routes): only the
                // filters' get here.
                handling.run();
            } catch (RuntimeException e) {
                if (!head) {
                    throw e;
                }
                // Answered here, while CURRENT still says HEAD: past this filter the problem would go out with its body.
                if (res.reset()) {
                    Problems.sendError(req, res, e);
                }
            }
        } finally {
            if (scoped) {
                CURRENT.remove();
            }
            if (head) {
                req.prologue(prologue); // logs and metrics say HEAD
            }
        }
        if (bodyProblem != null) {
            // Problems answered it already (see bodyProblem()), unless the handler swallowed the failed read;
            // either way the rest of the body cannot be found.
            closing = true;
            if (!res.isSent()) {
                answer(bodyProblem);
            }
        }
    }

    /** Whether the request's framing and content headers can be handled; if not, the problem is answered. */
    private boolean acceptable(ServerRequestHeaders headers, Method method, boolean hasBody) {
        boolean http10 = req.remotePeer() instanceof Http10Selector.Peer;
        closing = http10 || asksToClose(headers);
        if (closing) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        String framingError = framingError(headers, http10);
        if (framingError != null) {
            closing = true;
            answer(ProblemException.badRequest(framingError));
            return false;
        }
        if (hasBody && headers.contains(HeaderNames.CONTENT_ENCODING) && !identity(headers.get(HeaderNames.CONTENT_ENCODING))) {
            res.header(HeaderNames.ACCEPT_ENCODING, "identity");
            answer(unsupported("Request bodies are not decoded here: send the body without Content-Encoding."));
            return false;
        }
        // Also for an empty POST/PUT/PATCH: its handler reads the type to say that a body is missing.
        boolean sendsContent = hasBody || method == Method.POST || method == Method.PUT || method == Method.PATCH;
        if (sendsContent && headers.contains(HeaderNames.CONTENT_TYPE)) {
            String contentTypeError = contentTypeError(headers);
            if (contentTypeError != null) {
                answer(unsupported(contentTypeError));
                return false;
            }
        }
        return true;
    }

    /**
     * The problem with the body of the request being answered on this thread, when Helidon's parser
     * failed reading it: the answer to send instead of whatever the handler made of the failure
     * (Jackson, for one, wraps it as malformed JSON). {@code null} when there is none.
     */
    static ProblemException bodyProblem() {
        HttpFraming framing = CURRENT.get();
        return framing == null ? null : framing.bodyProblem;
    }

    /** The framing of the request being answered on this thread, or {@code null} outside a request. */
    static HttpFraming current() {
        return CURRENT.get();
    }

    /** Whether this is a HEAD request, answered by its GET route without a body. */
    boolean head() {
        return head;
    }

    ServerResponseHeaders responseHeaders() {
        return res.headers();
    }

    private void answer(ProblemException problem) {
        if (closing) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        Problems.send(req, res, problem);
    }

    /** What makes the request's framing ambiguous (RFC 9112 §3.2, §6), or {@code null}. */
    private static String framingError(ServerRequestHeaders headers, boolean http10) {
        if (headers.contains(HeaderNames.HOST)) {
            if (headers.get(HeaderNames.HOST).valueCount() != 1) {
                return "The request has more than one Host header; send exactly one.";
            }
        } else if (!http10) {
            return "An HTTP/1.1 request must have a Host header.";
        }
        boolean contentLength = headers.contains(HeaderNames.CONTENT_LENGTH);
        if (headers.contains(HeaderNames.TRANSFER_ENCODING)) {
            Header te = headers.get(HeaderNames.TRANSFER_ENCODING);
            // Exactly Helidon's test for a chunked body: with any other spelling it would read no body at all and
            // take the body for the next request.
            if (te.valueCount() != 1 || !"chunked".equals(te.get())) {
                return "Transfer-Encoding must be exactly 'chunked'; other transfer codings are not accepted.";
            }
            if (contentLength) {
                return "The request has both Content-Length and Transfer-Encoding; send one of them.";
            }
            if (http10) {
                return "HTTP/1.0 has no chunked transfer coding; send the body with Content-Length.";
            }
        }
        if (contentLength) {
            List<String> values = headers.get(HeaderNames.CONTENT_LENGTH).allValues();
            String first = values.getFirst();
            for (String value : values) {
                if (!digits(value) || !value.equals(first)) {
                    return values.size() > 1
                            ? "The request has several different Content-Length values; send one."
                            : "Content-Length must be a non-negative decimal number of bytes.";
                }
            }
        }
        return null;
    }

    /** Why the Content-Type cannot be read, or {@code null}; Plaza reads every body as UTF-8. */
    private static String contentTypeError(ServerRequestHeaders headers) {
        HttpMediaType type;
        try {
            type = headers.contentType().orElse(null);
        } catch (RuntimeException e) {
            type = null;
        }
        if (type == null) {
            return "The Content-Type header is not a media type (type/subtype); send application/json.";
        }
        String charset = type.charset().map(c -> c.toLowerCase(Locale.ROOT)).orElse("utf-8");
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
            return "Request bodies are read as UTF-8 only: send " + type.mediaType().text()
                    + " with charset=utf-8 or without a charset (JSON is always UTF-8, RFC 8259).";
        }
        return null;
    }

    /** Connection options are case-insensitive (RFC 9110 §7.6.1); Helidon itself only sees "close". */
    private static boolean asksToClose(ServerRequestHeaders headers) {
        if (!headers.contains(HeaderNames.CONNECTION)) {
            return false;
        }
        for (String option : headers.get(HeaderNames.CONNECTION).allValues(true)) {
            if ("close".equalsIgnoreCase(option.trim())) {
                return true;
            }
        }
        return false;
    }

    private static boolean identity(Header contentEncoding) {
        for (String value : contentEncoding.allValues(true)) {
            if (!"identity".equalsIgnoreCase(value.trim())) {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static ProblemException unsupported(String detail) {
        return new ProblemException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported-media-type", "Unsupported media type", detail);
    }

    /** Turns a failure of Helidon's body parser into this request's problem (the handler may wrap or swallow it). */
    private ProblemException bodyFailed(RuntimeException e) {
        if (e instanceof RequestException re && re.status() == Status.REQUEST_ENTITY_TOO_LARGE_413) {
            bodyProblem = Problems.fromStatus(Status.REQUEST_ENTITY_TOO_LARGE_413, null);
        } else if (e instanceof RequestException || e instanceof NumberFormatException) {
            bodyProblem = ProblemException.badRequest(CHUNKED_DETAIL);
        } else if (e instanceof DataReader.InsufficientDataAvailableException) {
            bodyProblem = ProblemException.badRequest("The request body ended before all of it arrived.");
        } else {
            throw e; // the connection itself failed; nobody is listening for an answer
        }
        return bodyProblem;
    }

    /**
     * The request body as handlers read it, with the parser's failures turned into {@link #bodyProblem}.
     * Once one failed, the body is not touched again: closing Helidon's stream would read on to the end of
     * a body whose end cannot be found, waiting for bytes that never come.
     */
    private final class GuardedBody extends FilterInputStream {

        GuardedBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            if (bodyProblem != null) {
                throw bodyProblem;
            }
            try {
                return in.read();
            } catch (RuntimeException e) {
                throw bodyFailed(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (bodyProblem != null) {
                throw bodyProblem;
            }
            try {
                return in.read(b, off, len);
            } catch (RuntimeException e) {
                throw bodyFailed(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            if (bodyProblem != null) {
                throw bodyProblem;
            }
            try {
                return in.skip(n);
            } catch (RuntimeException e) {
                throw bodyFailed(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (bodyProblem != null) {
                return;
            }
            try {
                in.close();
            } catch (RuntimeException e) {
                bodyFailed(e);
            }
        }
    }
}
