package k8sinfra.echoip;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The echo-ip app of the book's chapter 4: every request is answered with the client's address and
 * the address the request was sent to, {@code src: <client> / dest: <server>}, as the book's
 * Spring controller did. It needs nothing but the JDK.
 */
public final class EchoIp {
  private EchoIp() {}

  /** The answer to one request. */
  static String answer(String clientAddress, String serverAddress) {
    return "src: " + clientAddress + " / dest: " + serverAddress + "\n";
  }

  private static void handle(HttpExchange exchange) throws IOException {
    String src = exchange.getRemoteAddress().getAddress().getHostAddress();
    String host = exchange.getRequestHeaders().getFirst("Host");
    // Like the servlet's getServerName(): the name the client asked for, without the port.
    String dest = host != null ? host.replaceFirst(":\\d+$", "") : exchange.getLocalAddress().getAddress().getHostAddress();
    byte[] body = answer(src, dest).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  public static void main(String[] args) throws IOException {
    // Port 80 as in the book (`docker run -p 6043x:80`); PORT overrides it.
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "80"));
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/", exchange -> {
      try {
        handle(exchange);
      } finally {
        exchange.close();
      }
    });
    server.start();
    System.out.println("echo-ip listening on port " + port);
  }
}
