package plaza.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A WebSocket client on a bare socket that writes frames by hand — including the ones a real
 * client library refuses to send — and reads the server's frames one by one.
 */
public final class RawWs implements AutoCloseable {

    public static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CONTINUATION = 0x0;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private final Socket socket;
    private final InputStream in;
    private final String head;

    /** A frame from the server; {@code opcode} -1 when the connection ended without one. */
    public record Frame(int opcode, boolean fin, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame (1005 when it carries none). */
        public int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | payload[1] & 0xFF : 1005;
        }
    }

    private RawWs(Socket socket, String head) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.head = head;
    }

    /** Sends {@code request} (a whole HTTP request head) and reads the response head. */
    public static RawWs request(int port, String request) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return new RawWs(socket, head.toString(StandardCharsets.ISO_8859_1));
    }

    /** An upgrade of {@code path} with the usual headers plus {@code extraHeaders} (each line ending in CRLF). */
    public static RawWs upgrade(int port, String path, String extraHeaders) throws IOException {
        return request(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                             + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"
                             + extraHeaders + "\r\n");
    }

    /** The response head (status line and headers). */
    public String head() {
        return head;
    }

    public int status() {
        String[] parts = head.split(" ", 3);
        return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    }

    /** One masked frame as bytes (fin bit, opcode, payload). */
    public static byte[] frame(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int i = 56; i >= 0; i -= 8) {
                frame.write((int) ((long) payload.length >>> i) & 0xFF);
            }
        }
        byte[] mask = {0x37, (byte) 0xfa, 0x21, 0x3d};
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    public static byte[] text(String text) {
        return frame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[]... frames) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.writeBytes(f);
        }
        socket.getOutputStream().write(all.toByteArray());
        socket.getOutputStream().flush();
    }

    /** The next frame from the server (opcode -1 if the connection ended, or nothing came in 10 s). */
    public Frame read() throws IOException {
        try {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                return new Frame(-1, true, new byte[0]);
            }
            long length = b1 & 0x7F;
            if (length == 126) {
                length = (long) in.read() << 8 | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = length << 8 | in.read();
                }
            }
            byte[] payload = in.readNBytes((int) length);
            return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
        } catch (SocketTimeoutException e) {
            return new Frame(-1, true, new byte[0]);
        } catch (IOException e) {
            return new Frame(-1, true, new byte[0]); // reset
        }
    }

    /** Reads frames until a close frame (answered as RFC 6455 asks) or the end; returns it (opcode -1 at the end). */
    public Frame awaitClose() throws IOException {
        while (true) {
            Frame f = read();
            if (f.opcode() == CLOSE) {
                try {
                    send(frame(CLOSE, true, Arrays.copyOf(f.payload(), Math.min(2, f.payload().length))));
                } catch (IOException e) {
                    // the server may have closed already
                }
                return f;
            }
            if (f.opcode() == -1) {
                return f;
            }
        }
    }

    /** The next text frame, skipping pings and the like. */
    public Frame nextText() throws IOException {
        while (true) {
            Frame f = read();
            if (f.opcode() == TEXT || f.opcode() == -1 || f.opcode() == CLOSE) {
                return f;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
