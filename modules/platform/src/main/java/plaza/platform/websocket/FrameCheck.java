package plaza.platform.websocket;

import java.util.Arrays;
import java.util.function.Supplier;

import io.helidon.common.buffers.DataReader;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsCloseException;

/**
 * Checks the client's frames (RFC 6455 section 5) on their way from the socket to Helidon's
 * WebSocket reader, which in 4.1.2 does not: reserved opcodes (it threw an exception that ended the
 * connection without a close frame), control frames longer than 125 bytes or fragmented, a close
 * payload of 1 byte or with an invalid code, a continuation with no message to continue (or a new
 * message inside a fragmented one), and text that is not UTF-8 (Helidon decodes it with U+FFFD
 * replacements). The bytes before a violation are passed on, so earlier frames are still handled;
 * then Helidon's next read gets a {@link WsCloseException}, which makes it send a close frame with
 * the code (1002 protocol error, 1007 invalid data, 1009 too big) and close the connection.
 */
final class FrameCheck implements Supplier<byte[]> {

    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    /** An oversized frame's payload still read (and dropped) before closing, so the close frame is not lost to a reset. */
    private static final long MAX_DRAIN = 16L * 1024 * 1024;

    private final DataReader source;
    private final int maxFrameLength;
    private final Utf8Check text = new Utf8Check();
    private final Utf8Check reason = new Utf8Check();
    private final byte[] header = new byte[14];
    private final byte[] closePayload = new byte[125];
    private WsCloseException failure;
    private long drain;

    private int headerRead;
    private int headerSize = 2;
    private long payloadLeft = -1;
    private long payloadPosition;
    private int opcode;
    private boolean fin;
    private boolean inMessage;
    private boolean textMessage;
    private int closeRead;

    FrameCheck(DataReader source, int maxFrameLength) {
        this.source = source;
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public byte[] get() {
        if (failure != null) {
            drain();
            throw failure;
        }
        byte[] chunk;
        try {
            if (source.available() == 0) {
                source.pullData();
            }
            chunk = source.readBytes(source.available());
        } catch (DataReader.InsufficientDataAvailableException e) {
            return null; // the client closed the socket
        }
        int good = scan(chunk);
        if (failure == null) {
            return chunk;
        }
        if (good == 0) {
            drain();
            throw failure;
        }
        return Arrays.copyOf(chunk, good);
    }

    private void drain() {
        try {
            while (drain > 0) {
                if (source.available() == 0) {
                    source.pullData();
                }
                int n = (int) Math.min(drain, source.available());
                source.skip(n);
                drain -= n;
            }
        } catch (RuntimeException e) {
            drain = 0; // gone or reset: nothing left to wait for
        }
    }

    /** Checks {@code chunk}; answers how many of its bytes come before the first violation (all when none). */
    private int scan(byte[] chunk) {
        int i = 0;
        while (i < chunk.length) {
            if (payloadLeft < 0) {
                if (!headerByte(chunk[i])) {
                    return i;
                }
                i++;
                continue;
            }
            boolean textual = opcode == TEXT || opcode == CONTINUATION && textMessage;
            if (!textual && opcode != CLOSE) {
                int n = (int) Math.min(payloadLeft, chunk.length - i);
                i += n;
                payloadLeft -= n;
                payloadPosition += n;
            } else {
                int b = (chunk[i] ^ header[headerSize - 4 + (int) (payloadPosition & 3)]) & 0xFF;
                if (textual && !text.accept(b)) {
                    return fail(WsCloseCodes.NOT_CONSISTENT, "Text is not valid UTF-8", i);
                }
                if (opcode == CLOSE) {
                    closePayload[closeRead++] = (byte) b;
                }
                i++;
                payloadLeft--;
                payloadPosition++;
            }
            if (payloadLeft == 0 && !frameEnd()) {
                return i - 1;
            }
        }
        return chunk.length;
    }

    private boolean headerByte(byte value) {
        header[headerRead++] = value;
        int b = value & 0xFF;
        if (headerRead == 1) {
            fin = (b & 0x80) != 0;
            opcode = b & 0x0F;
            if ((b & 0x70) != 0) {
                return failed(WsCloseCodes.PROTOCOL_ERROR, "Reserved bits set");
            }
            if (opcode > BINARY && opcode < CLOSE || opcode > PONG) {
                return failed(WsCloseCodes.PROTOCOL_ERROR, "Reserved opcode " + opcode);
            }
            if (opcode >= CLOSE && !fin) {
                return failed(WsCloseCodes.PROTOCOL_ERROR, "Fragmented control frame");
            }
            if (opcode == CONTINUATION && !inMessage) {
                return failed(WsCloseCodes.PROTOCOL_ERROR, "Continuation frame without a message to continue");
            }
            if ((opcode == TEXT || opcode == BINARY) && inMessage) {
                return failed(WsCloseCodes.PROTOCOL_ERROR, "New message before the fragmented one ended");
            }
            return true;
        }
        if (headerRead == 2) {
            if ((b & 0x80) == 0) {
                return failed(WsCloseCodes.PROTOCOL_ERROR, "Unmasked client frame");
            }
            int length = b & 0x7F;
            if (opcode >= CLOSE && length > 125) {
                return failed(WsCloseCodes.PROTOCOL_ERROR, "Control frame longer than 125 bytes");
            }
            headerSize = 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + 4;
            return true;
        }
        if (headerRead < headerSize) {
            return true;
        }
        long length = header[1] & 0x7F;
        if (length == 126) {
            length = (header[2] & 0xFF) << 8 | header[3] & 0xFF;
        } else if (length == 127) {
            length = 0;
            for (int k = 2; k < 10; k++) {
                length = length << 8 | header[k] & 0xFF;
            }
            if (length < 0) {
                return failed(WsCloseCodes.PROTOCOL_ERROR, "Payload length out of range");
            }
        }
        if (length > maxFrameLength) {
            drain = Math.min(length, MAX_DRAIN);
            return failed(WsCloseCodes.TOO_BIG, "Frame larger than " + maxFrameLength + " bytes");
        }
        if (opcode == CLOSE && length == 1) {
            return failed(WsCloseCodes.PROTOCOL_ERROR, "Close payload of 1 byte");
        }
        if (opcode == TEXT) {
            text.reset();
        }
        if (opcode == TEXT || opcode == BINARY) {
            textMessage = opcode == TEXT;
        }
        closeRead = 0;
        payloadLeft = length;
        payloadPosition = 0;
        return length > 0 || frameEnd();
    }

    /** A frame's payload is complete; false on a violation. */
    private boolean frameEnd() {
        headerRead = 0;
        headerSize = 2;
        payloadLeft = -1;
        if (opcode <= BINARY) {
            inMessage = !fin;
            if (fin && textMessage && !text.complete()) {
                return failed(WsCloseCodes.NOT_CONSISTENT, "Text ends inside a UTF-8 character");
            }
            return true;
        }
        if (opcode == CLOSE && closeRead >= 2) {
            int code = (closePayload[0] & 0xFF) << 8 | closePayload[1] & 0xFF;
            if (!validCloseCode(code)) {
                return failed(WsCloseCodes.PROTOCOL_ERROR, "Invalid close code " + code);
            }
            reason.reset();
            for (int k = 2; k < closeRead; k++) {
                if (!reason.accept(closePayload[k])) {
                    return failed(WsCloseCodes.NOT_CONSISTENT, "Close reason is not valid UTF-8");
                }
            }
            if (!reason.complete()) {
                return failed(WsCloseCodes.NOT_CONSISTENT, "Close reason is not valid UTF-8");
            }
        }
        return true;
    }

    /** Close codes a peer may send (RFC 6455 section 7.4, and the registered 1012 to 1014). */
    private static boolean validCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    private boolean failed(int code, String message) {
        failure = new WsCloseException(message, code);
        return false;
    }

    private int fail(int code, String message, int at) {
        failed(code, message);
        return at;
    }
}
