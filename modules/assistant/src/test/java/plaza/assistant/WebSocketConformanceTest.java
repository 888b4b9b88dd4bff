package plaza.assistant;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.platform.http.Json;
import plaza.testing.RawWs;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static plaza.testing.RawWs.CLOSE;
import static plaza.testing.RawWs.CONTINUATION;
import static plaza.testing.RawWs.PING;
import static plaza.testing.RawWs.TEXT;
import static plaza.testing.RawWs.frame;
import static plaza.testing.RawWs.text;

/**
 * RFC 6455 on {@code /ai/ws}, frames written by hand. Bad input tried: an upgrade without
 * {@code Sec-WebSocket-Version}, a non-base64 {@code Sec-WebSocket-Key}, a GET without upgrade or
 * token, reserved opcode 3, a 1-byte close payload, a 200-byte ping, CESU-8 text, a continuation
 * without a message, and requestIds that are {@code true}, 101 characters, {@code 1e309} or a lone
 * surrogate.
 */
@ServerTest
class WebSocketConformanceTest {

    static final TestTokens TOKENS = TestTokens.create();
    static final FakeUpstream UPSTREAM = new FakeUpstream();
    static AssistantService service;
    private final int port;
    private final String auth = "Authorization: Bearer " + TOKENS.token("rfc") + "\r\n";

    WebSocketConformanceTest(URI uri) {
        this.port = uri.getPort();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = ApiClient.config(Map.of("assistant.provider.base-url", UPSTREAM.baseUrl(),
                                                "assistant.provider.model", "fake-model"));
        service = ApiClient.service(config, TOKENS.verifier());
        PlazaServer.configure(server, config, List.of(service));
    }

    @AfterAll
    static void close() {
        service.close();
        UPSTREAM.close();
    }

    private RawWs open() throws Exception {
        RawWs ws = RawWs.upgrade(port, "/ai/ws", auth);
        assertThat(ws.head(), ws.status(), is(101));
        assertThat(ws.nextText().text(), containsString("connected"));
        return ws;
    }

    @Test
    void upgradeChecksAndPlainGet() throws Exception {
        String upgrade = "GET /ai/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + auth;
        try (RawWs ws = RawWs.request(port, upgrade + "Sec-WebSocket-Key: " + RawWs.KEY + "\r\n\r\n")) {
            assertThat(ws.head(), ws.status(), is(426));
            assertThat(ws.head(), containsString("Sec-WebSocket-Version: 13"));
        }
        try (RawWs ws = RawWs.request(port, upgrade + "Sec-WebSocket-Key: ***not-base64***\r\nSec-WebSocket-Version: 13\r\n\r\n")) {
            assertThat(ws.head(), ws.status(), is(400));
        }
        try (RawWs ws = RawWs.request(port, "GET /ai/ws HTTP/1.1\r\nHost: x\r\n\r\n")) {
            assertThat(ws.head(), ws.status(), is(426));
            assertThat(ws.head().toLowerCase(), containsString("upgrade: websocket"));
        }
    }

    @Test
    void badFramesCloseWithTheRightCode() throws Exception {
        byte[][][] cases = {
                {frame(0x3, true, new byte[0])},
                {frame(CLOSE, true, new byte[] {0x03})},
                {frame(PING, true, new byte[200])},
                {frame(CONTINUATION, true, "{}".getBytes(StandardCharsets.US_ASCII))},
                {frame(TEXT, true, new byte[] {'"', (byte) 0xED, (byte) 0xB0, (byte) 0x80, '"'})},
        };
        int[] codes = {1002, 1002, 1002, 1002, 1007};
        for (int i = 0; i < cases.length; i++) {
            try (RawWs ws = open()) {
                ws.send(cases[i]);
                RawWs.Frame f = ws.awaitClose();
                assertThat("case " + i, f.opcode(), is(CLOSE));
                assertThat("case " + i, f.closeCode(), is(codes[i]));
            }
        }
    }

    @Test
    void badRequestIdsGetAnErrorFrame() throws Exception {
        try (RawWs ws = open()) {
            for (String id : new String[] {"true", "\"" + "r".repeat(101) + "\"", "1e309", "\"\\udc00\""}) {
                ws.send(text("{\"action\":\"ping\",\"requestId\":" + id + "}"));
                RawWs.Frame f = ws.nextText();
                assertThat(id, f.opcode(), is(TEXT));
                JsonNode reply = Json.parse(f.text());
                assertThat(id + " -> " + f.text(), reply.path("type").asText(), is("error"));
                assertThat(reply.path("detail").asText(), containsString("requestId"));
            }
        }
    }
}
