import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebSocket client in a process of its own (JDK only, run with {@code java StuckPeer.java <uri> <room> <channel>}):
 * it joins {@code room:channel}, prints {@code joined <client_id>} once the join is answered, and
 * {@code closed <code>} or {@code error <exception>} when its connection ends; the JDK answers the
 * server's pings while the process runs. Stopped with SIGSTOP it answers nothing.
 */
public final class StuckPeer {
    private static final Pattern CLIENT_ID = Pattern.compile("\"client_id\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        CompletableFuture<String> clientId = new CompletableFuture<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String frame = text.toString();
                    text.setLength(0);
                    if (frame.contains("\"welcome\"")) {
                        Matcher m = CLIENT_ID.matcher(frame);
                        if (m.find()) {
                            clientId.complete(m.group(1));
                        }
                    } else if (frame.contains("\"join_channel\"") && frame.contains("\"success\"")) {
                        System.out.println("joined " + clientId.getNow("?"));
                        System.out.flush();
                    } else {
                        System.out.println("frame " + frame.substring(0, Math.min(300, frame.length())));
                        System.out.flush();
                    }
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                System.out.println("closed " + code + " " + reason);
                System.out.flush();
                ended.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                System.out.println("error " + error);
                System.out.flush();
                ended.complete(null);
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(args[0]), listener).get(20, TimeUnit.SECONDS);
        clientId.get(20, TimeUnit.SECONDS);
        ws.sendText("{\"id\":\"arq_peer_join_1\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"" + args[1]
                + "\",\"channel\":\"" + args[2] + "\"}}", true).get(20, TimeUnit.SECONDS);
        ended.get(120, TimeUnit.SECONDS);
    }
}
