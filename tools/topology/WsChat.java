// Two WebSocket clients through the proxy: both join a group, A sends, B must receive it.
// Usage (JDK 21+ runs the source directly): java WsChat.java WS_URL TOKEN_A TOKEN_B ORIGIN
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

public class WsChat {
    static WebSocket connect(HttpClient http, String url, String token, String origin, CompletableFuture<String> got, String expect)
            throws Exception {
        String sep = url.contains("?") ? "&" : "?";
        return http.newWebSocketBuilder()
                .header("Origin", origin)
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(url + sep + "token=" + token), new WebSocket.Listener() {
                    final StringBuilder buf = new StringBuilder();
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        buf.append(data);
                        if (last) {
                            String msg = buf.toString();
                            buf.setLength(0);
                            System.out.println("  received: " + (msg.length() > 200 ? msg.substring(0, 200) + "…" : msg));
                            if (expect != null && msg.contains(expect)) {
                                got.complete(msg);
                            }
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(15, TimeUnit.SECONDS);
    }

    public static void main(String[] args) throws Exception {
        String url = args[0], tokenA = args[1], tokenB = args[2], origin = args[3];
        String group = "topology-" + UUID.randomUUID().toString().substring(0, 8);
        String nonce = "hello-" + UUID.randomUUID();
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<String> atB = new CompletableFuture<>();
        WebSocket a = connect(http, url, tokenA, origin, new CompletableFuture<>(), null);
        WebSocket b = connect(http, url, tokenB, origin, atB, nonce);
        String join = "{\"action\":\"joinGroup\",\"groupId\":\"" + group + "\"}";
        a.sendText(join, true).get(5, TimeUnit.SECONDS);
        b.sendText(join, true).get(5, TimeUnit.SECONDS);
        Thread.sleep(1000);
        a.sendText("{\"action\":\"sendMessage\",\"groupId\":\"" + group + "\",\"content\":\"" + nonce
                + "\",\"message\":\"" + nonce + "\"}", true).get(5, TimeUnit.SECONDS);
        try {
            atB.get(15, TimeUnit.SECONDS);
            System.out.println("WsChat: delivered across clients");
        } catch (Exception e) {
            System.out.println("WsChat: message not delivered within 15 s");
            System.exit(1);
        }
        a.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        b.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        System.exit(0);
    }
}
