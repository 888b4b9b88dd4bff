package plaza.chat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import plaza.platform.http.Json;
import plaza.testing.RawWs;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static plaza.testing.RawWs.CLOSE;
import static plaza.testing.RawWs.CONTINUATION;
import static plaza.testing.RawWs.PING;
import static plaza.testing.RawWs.PONG;
import static plaza.testing.RawWs.TEXT;
import static plaza.testing.RawWs.frame;
import static plaza.testing.RawWs.text;

/**
 * RFC 6455 on {@code /chat/ws}, with frames written by hand. Bad input tried: upgrades without
 * {@code Sec-WebSocket-Version} or with version 8, a {@code Sec-WebSocket-Key} that is not base64 or
 * not 16 bytes, a GET without upgrade; reserved opcodes (3, 0xB), a 1-byte close payload, close code
 * 999, a 200-byte ping, a fragmented ping, overlong and CESU-8 (surrogate) UTF-8 in text, a
 * continuation without a message, a new message inside a fragmented one, a 70 KB text frame (over chat's
 * 64 KB), a 300 KB frame (over Helidon's max-frame-length), and
 * requestIds that are {@code true}, 101 characters, {@code 1e309} or a lone surrogate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketConformanceTest {

    private final TestTokens tokens = TestTokens.create();
    private ChatTestServer chat;
    private String auth;

    @BeforeAll
    void start() {
        chat = ChatTestServer.start(ChatTestServer.config(Map.of("chat.rate.per-second", "1000", "chat.rate.burst", "1000",
                                                                 "server.protocols.websocket.max-frame-length", "200000")),
                                    tokens.verifier());
        auth = "Authorization: Bearer " + tokens.token("conformist") + "\r\n";
    }

    @AfterAll
    void stop() {
        chat.close();
    }

    private RawWs open() throws Exception {
        RawWs ws = RawWs.upgrade(chat.port(), "/chat/ws", auth);
        assertThat(ws.head(), ws.status(), is(101));
        return ws;
    }

    private String request(String headers) {
        return "GET /chat/ws HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + auth + "\r\n";
    }

    @Test
    void upgradeHeadersAreChecked() throws Exception {
        try (RawWs ws = RawWs.request(chat.port(), request("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + RawWs.KEY + "\r\n"))) {
            assertThat(ws.head(), ws.status(), is(426));
            assertThat(ws.head(), containsString("Sec-WebSocket-Version: 13"));
            assertThat(ws.head(), containsString("application/problem+json"));
        }
        try (RawWs ws = RawWs.request(chat.port(), request("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + RawWs.KEY
                                                          + "\r\nSec-WebSocket-Version: 8\r\n"))) {
            assertThat(ws.head(), ws.status(), is(426));
            assertThat(ws.head(), containsString("Sec-WebSocket-Version: 13"));
        }
        for (String key : new String[] {"not base64 at all!!!!!!!", "c2hvcnQ=", "%%%%%%%%%%%%%%%%%%%%%%=="}) {
            try (RawWs ws = RawWs.request(chat.port(), request("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                                                              + "\r\nSec-WebSocket-Version: 13\r\n"))) {
                assertThat(key + ": " + ws.head(), ws.status(), is(400));
                assertThat(ws.head(), containsString("application/problem+json"));
            }
        }
    }

    @Test
    void plainGetIs426WithUpgradeHeaderEvenWithoutToken() throws Exception {
        try (RawWs ws = RawWs.request(chat.port(), "GET /chat/ws HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
            assertThat(ws.head(), ws.status(), is(426));
            assertThat(ws.head().toLowerCase(), containsString("upgrade: websocket"));
        }
    }

    private void assertClosedWith(int code, byte[]... frames) throws Exception {
        try (RawWs ws = open()) {
            ws.send(frames);
            RawWs.Frame f = ws.awaitClose();
            assertThat("close frame expected", f.opcode(), is(CLOSE));
            assertThat(f.closeCode(), is(code));
        }
    }

    @Test
    void protocolErrorsClose1002() throws Exception {
        assertClosedWith(1002, frame(0x3, true, new byte[] {1}));
        assertClosedWith(1002, frame(0xB, true, new byte[0]));
        assertClosedWith(1002, frame(CLOSE, true, new byte[] {0x03}));
        assertClosedWith(1002, frame(CLOSE, true, new byte[] {0x03, (byte) 0xE7})); // 999
        assertClosedWith(1002, frame(PING, true, new byte[200]));
        assertClosedWith(1002, frame(PING, false, new byte[4]));
        assertClosedWith(1002, frame(CONTINUATION, true, "{}".getBytes(StandardCharsets.US_ASCII)));
        // a complete message, then a continuation of nothing
        assertClosedWith(1002, text("{\"action\":\"ping\"}"), frame(CONTINUATION, true, "{}".getBytes(StandardCharsets.US_ASCII)));
        // a new message while a fragmented one is open
        assertClosedWith(1002, frame(TEXT, false, "{\"action\"".getBytes(StandardCharsets.US_ASCII)), text("{}"));
    }

    @Test
    void invalidUtf8Closes1007() throws Exception {
        assertClosedWith(1007, frame(TEXT, true, new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}));       // overlong '/'
        assertClosedWith(1007, frame(TEXT, true, new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'})); // CESU-8 U+D800
        assertClosedWith(1007, frame(TEXT, true, new byte[] {'"', (byte) 0xE2, (byte) 0x82}));             // cut off
        assertClosedWith(1007, frame(TEXT, false, new byte[] {'"', (byte) 0xE2}), frame(CONTINUATION, true, new byte[] {'x'}));
        assertClosedWith(1007, frame(CLOSE, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF}));
    }

    @Test
    void validFramesStillWork() throws Exception {
        try (RawWs ws = open()) {
            byte[] data = new byte[125];
            ws.send(frame(PING, true, data));
            assertThat(ws.read().opcode(), is(PONG));
            // fragmented, with a ping in between, and a character split across the fragments
            byte[] first = "{\"action\":\"ping\",\"requestId\":\"x".getBytes(StandardCharsets.UTF_8);
            ws.send(frame(TEXT, false, first), frame(PING, true, new byte[0]), frame(CONTINUATION, true, "\"}".getBytes(StandardCharsets.UTF_8)));
            assertThat(ws.read().opcode(), is(PONG));
            assertThat(Json.parse(ws.nextText().text()).path("requestId").asText(), is("x"));
            // frames before a bad one in the same write are still answered
            ws.send(text("{\"action\":\"ping\",\"requestId\":\"before\"}"), frame(0x3, true, new byte[0]));
            assertThat(Json.parse(ws.nextText().text()).path("requestId").asText(), is("before"));
            // Known race (open bug): the reply is written by the connection's writer thread while Helidon's reader
            // sends the 1002 close for the bad frame, so the close frame is sometimes lost (seen in CI: 1005). The
            // bad frame alone always closes with 1002 (protocolErrorsClose1002); here the connection must end.
            RawWs.Frame end = ws.awaitClose();
            assertThat(end.opcode() == -1 || end.closeCode() == 1002 || end.closeCode() == 1005, is(true));
        }
    }

    @Test
    void aTextFrameOverTheLimitClosesWith1009() throws Exception {
        try (RawWs ws = open()) {
            ws.send(text("{\"action\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}"));
            RawWs.Frame f = ws.read();
            while (f.opcode() == TEXT) {
                assertThat(f.text(), containsString("frame-too-large"));
                f = ws.read();
            }
            assertThat(f.opcode(), is(CLOSE));
            assertThat(f.closeCode(), is(1009));
        }
    }

    @Test
    void aFrameOverHelidonsFrameLimitClosesWith1009() throws Exception {
        // 300 KB against max-frame-length 200 KB: refused from its header; the rest is read, so the close is not lost to a reset
        try (RawWs ws = open()) {
            boolean cutOffWhileSending = false;
            try {
                ws.send(frame(RawWs.BINARY, true, new byte[300_000]));
            } catch (java.net.SocketException closed) {
                // on a loaded machine the server can close before the client has written the whole frame; the reset
                // may then take the close frame with it, but the frame was refused either way, never delivered
                cutOffWhileSending = true;
            }
            RawWs.Frame f = ws.awaitClose();
            if (cutOffWhileSending && f.opcode() != CLOSE) {
                assertThat("the connection ended", f.opcode(), is(-1));
                return;
            }
            assertThat(f.opcode(), is(CLOSE));
            assertThat(f.closeCode(), is(1009));
        }
    }

    @Test
    void badRequestIdsGetAnErrorFrame() throws Exception {
        String[] ids = {"true", "\"" + "r".repeat(101) + "\"", "1e309", "\"\\ud800\"", "{}", "[1]", "1.5", "\"\""};
        try (RawWs ws = open()) {
            for (String id : ids) {
                ws.send(text("{\"action\":\"ping\",\"requestId\":" + id + "}"));
                RawWs.Frame f = ws.nextText();
                assertThat(id, f.opcode(), is(TEXT));
                JsonNode reply = Json.parse(f.text());
                assertThat(id + " -> " + f.text(), reply.path("type").asText(), is("error"));
                assertThat(reply.path("message").asText(), containsString("requestId")); // from the frame check or the JSON number rule
            }
            ws.send(text("{\"action\":\"ping\",\"requestId\":12}"));
            assertThat(Json.parse(ws.nextText().text()).path("requestId").asLong(), is(12L));
        }
    }
}
