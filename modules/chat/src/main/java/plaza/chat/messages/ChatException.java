package plaza.chat.messages;

/**
 * A refused chat action: {@code code} is the stable error code of the WebSocket error frame
 * ({@code not-joined}, {@code forbidden}, …) and the problem slug of the REST answer.
 */
public final class ChatException extends RuntimeException {

    private final String code;

    public ChatException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static ChatException badRequest(String message) {
        return new ChatException("bad-request", message);
    }

    public static ChatException notFound(String message) {
        return new ChatException("not-found", message);
    }

    public static ChatException forbidden(String message) {
        return new ChatException("forbidden", message);
    }
}
