package dev.messenger.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class TcpLinkTest {
  @Test
  void should_hold_bytes_both_ways_while_cut_without_closing_and_deliver_them_once_healed() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      CompletableFuture.runAsync(() -> {
        try (Socket peer = echo.accept()) {
          peer.getInputStream().transferTo(peer.getOutputStream());
        } catch (Exception ignored) {
          // the test ended
        }
      });
      try (TcpLink link = new TcpLink("test", new InetSocketAddress(echo.getInetAddress(), echo.getLocalPort()));
          Socket client = new Socket()) {
        URI url = URI.create(link.url());
        client.connect(new InetSocketAddress(url.getHost(), url.getPort()));
        client.setSoTimeout(300);
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();
        out.write('a');
        assertThat(in.read()).isEqualTo('a');

        link.cut();
        out.write('b');
        assertThatThrownBy(in::read).as("nothing arrives, and nothing is reset, while cut")
            .isInstanceOf(SocketTimeoutException.class);
        assertThat(client.isClosed()).isFalse();

        link.heal();
        client.setSoTimeout(5_000);
        assertThat(in.read()).as("what was held goes through").isEqualTo('b');
      }
    }
  }

  @Test
  void should_cut_every_link_of_a_service_for_the_time_given_then_heal_them() throws Exception {
    try (ServerSocket target = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        TcpLink first = new TcpLink("a", new InetSocketAddress(target.getInetAddress(), target.getLocalPort()));
        TcpLink second = new TcpLink("b", new InetSocketAddress(target.getInetAddress(), target.getLocalPort()))) {
      long began = System.nanoTime();
      CompletableFuture<Void> cut = CompletableFuture.runAsync(() -> {
        try {
          TcpLink.cutFor(List.of(first, second), Duration.ofMillis(400));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      cut.get(5, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
      // Healed: a new connection through either link reaches the target.
      for (TcpLink link : List.of(first, second)) {
        URI url = URI.create(link.url());
        try (Socket client = new Socket(url.getHost(), url.getPort())) {
          target.setSoTimeout(5_000);
          try (Socket accepted = target.accept()) {
            assertThat(accepted.isConnected()).isTrue();
          }
        }
      }
    }
  }
}
