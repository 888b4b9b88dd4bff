package plaza.platform.http;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.observe.HttpObservation;

/**
 * Makes every error Plaza sends an RFC 9457 {@code application/problem+json} body: exceptions from
 * handlers, routes that do not exist, wrong methods, and the errors Helidon answers itself before
 * routing (bad request lines, oversized bodies).
 */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final System.Logger LOG = System.getLogger(Problems.class.getName());

    private Problems() {
    }

    /** Registers the error handlers on a routing; call once per routing, before the services. */
    public static void register(HttpRouting.Builder routing) {
        routing.error(Throwable.class, Problems::sendError);
    }

    /** Answers a failure as the routing's error handler does; for filters that must answer before it runs ({@link HttpFraming}). */
    public static void sendError(ServerRequest req, ServerResponse res, Throwable e) {
        ProblemException framing = HttpFraming.bodyProblem();
        if (framing != null) {
            // The body could not be read at all; the connection is closed after this answer.
            res.header(HeaderValues.CONNECTION_CLOSE);
            send(req, res, framing);
        } else if (e instanceof ProblemException problem) {
            send(req, res, problem);
        } else if (e instanceof NotFoundException) {
            req.context().register(HttpObservation.UNMATCHED, Boolean.TRUE);
            send(req, res, ProblemException.notFound(
                    "No resource at " + req.prologue().method().text() + " " + req.path().absolute().rawPath() + "."));
        } else if (e instanceof RequestException re) {
            send(req, res, fromStatus(re.status(), re.safeMessage() ? re.getMessage() : null));
        } else if (e instanceof HttpException he) {
            send(req, res, fromStatus(he.status(), null));
        } else {
            LOG.log(Level.ERROR, "Unhandled error on " + req.prologue().method().text() + " " + req.path().absolute().rawPath(), e);
            send(req, res, new ProblemException(Status.INTERNAL_SERVER_ERROR_500, "internal", "Internal server error",
                                                "The server failed to handle this request; it has been logged."));
        }
    }

    /** Errors Helidon answers before any routing (malformed request line, body over the size limit). */
    public static DirectHandlers directHandlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, Problems::direct);
        }
        return builder.build();
    }

    /** A handler that answers 405 listing the methods the path does support; register it after them. */
    public static Handler methodNotAllowed(String... allowed) {
        String allow = String.join(", ", allowed);
        return (req, res) -> {
            res.header(HeaderNames.ALLOW, allow);
            send(req, res, new ProblemException(Status.METHOD_NOT_ALLOWED_405, "method-not-allowed", "Method not allowed",
                                                req.prologue().method().text() + " is not supported on " + req.path().absolute().rawPath()
                                                        + "; use " + allow + "."));
        };
    }

    /** Writes a problem response. */
    public static void send(ServerRequest req, ServerResponse res, ProblemException e) {
        if (res.isSent()) {
            return;
        }
        res.status(e.status());
        res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        if (e.retryAfter() != null) {
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        if (e.status() == Status.UNAUTHORIZED_401 && !res.headers().contains(HeaderNames.WWW_AUTHENTICATE)) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        res.send(Json.write(e.problem(req.path().absolute().rawPath())).getBytes(StandardCharsets.UTF_8));
    }

    static ProblemException fromStatus(Status status, String message) {
        int code = status.code();
        String detail = message != null && !message.isBlank() ? message : switch (code) {
            case 400 -> "The request could not be understood.";
            case 404 -> "No such resource.";
            case 413 -> "The request body is larger than this server accepts.";
            case 414 -> "The request URI is too long.";
            case 415 -> "The request body has a media type this resource does not accept.";
            case 426 -> "This is a WebSocket endpoint: upgrade with Sec-WebSocket-Version: 13.";
            case 431 -> "The request headers are too large.";
            default -> status.reasonPhrase();
        };
        String slug = switch (code) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 426 -> "upgrade-required";
            default -> code >= 500 ? "internal" : "http-" + code;
        };
        return new ProblemException(status, slug, status.reasonPhrase(), detail);
    }

    private static DirectHandler.TransportResponse direct(DirectHandler.TransportRequest request,
                                                          DirectHandler.EventType eventType,
                                                          Status status,
                                                          io.helidon.http.ServerResponseHeaders headers,
                                                          String message) {
        // Helidon's own messages may echo raw input; only the status decides the text here.
        ProblemException problem = fromStatus(status, null);
        headers.set(HeaderValues.create(HeaderNames.CONTENT_TYPE, MEDIA_TYPE));
        String path = request.path() == null || request.path().isEmpty() ? null : request.path();
        return DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .keepAlive(eventType.keepAlive())
                .entity(Json.write(problem.problem(path)).getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
