package plaza.platform.websocket;

import java.util.Base64;

import io.helidon.http.DirectHandler;
import io.helidon.http.HttpPrologue;
import io.helidon.http.NotFoundException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.webserver.websocket.WsUpgrader;

/**
 * Helidon's WebSocket upgrade with the checks of RFC 6455 it skips in 4.1.2: a request without
 * {@code Sec-WebSocket-Version} was upgraded (now 426 with {@code Sec-WebSocket-Version: 13}, as for
 * any version but 13), and a {@code Sec-WebSocket-Key} that is not the base64 of 16 bytes was a 500
 * (now 400). The connection it opens reads the client's frames through a {@link FrameCheck}.
 */
final class CheckedWsUpgrader extends WsUpgrader {

    static final Status UPGRADE_REQUIRED = Status.create(426, "Upgrade Required");

    private final int maxFrameLength;

    CheckedWsUpgrader(WsConfig config) {
        super(config);
        this.maxFrameLength = config.maxFrameLength();
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        if (!headers.contains(WS_KEY) || !isWebSocketRoute(ctx, prologue)) {
            return null; // plain HTTP routing answers (Helidon does the same)
        }
        String version = headers.contains(WS_VERSION) ? headers.get(WS_VERSION).get().trim() : "";
        if (!SUPPORTED_VERSION.equals(version)) {
            throw RequestException.builder()
                    .type(DirectHandler.EventType.BAD_REQUEST)
                    .status(UPGRADE_REQUIRED)
                    .message("WebSocket version 13 is required")
                    .header(SUPPORTED_VERSION_HEADER)
                    .build();
        }
        if (!validKey(headers.get(WS_KEY).get())) {
            throw RequestException.builder()
                    .type(DirectHandler.EventType.BAD_REQUEST)
                    .message("Sec-WebSocket-Key must be the base64 of 16 bytes")
                    .build();
        }
        return super.upgrade(new CheckedContext(ctx, maxFrameLength), prologue, headers);
    }

    private static boolean isWebSocketRoute(ConnectionContext ctx, HttpPrologue prologue) {
        try {
            ctx.router().routing(WsRouting.class, WsRouting.empty()).findRoute(prologue);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    static boolean validKey(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
