package dev.messenger.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One service's own loopback path to a server (etcd), which a fault can cut as a network partition would:
 * while cut, bytes are neither delivered nor refused (connections stay open, new ones are accepted and
 * hang), so the service learns of it only by its own timeouts; when the cut heals, what was held goes
 * through, as TCP retransmission would deliver it.
 */
final class TcpLink implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private volatile boolean cut;
  private volatile boolean closed;

  TcpLink(String name, InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "link-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The address the service is given instead of the server's. */
  String url() {
    return url("http");
  }

  /** The same with {@code https}: TLS passes through the link untouched, and the certificate names 127.0.0.1. */
  String url(String scheme) {
    return scheme + "://127.0.0.1:" + listener.getLocalPort();
  }

  /** From now on holds every byte, until {@link #heal}. */
  void cut() {
    cut = true;
  }

  /** Lets what was held and everything after it through. */
  void heal() {
    synchronized (gate) {
      cut = false;
      gate.notifyAll();
    }
  }

  /** Cuts every link of {@code links} for {@code duration}, then heals them. */
  static void cutFor(List<TcpLink> links, Duration duration) throws InterruptedException {
    links.forEach(TcpLink::cut);
    try {
      Thread.sleep(duration.toMillis());
    } finally {
      links.forEach(TcpLink::heal);
    }
  }

  private void awaitHealed() throws InterruptedException {
    synchronized (gate) {
      while (cut && !closed) {
        gate.wait();
      }
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        open.add(client);
        Thread connector = new Thread(() -> connect(client), "link-connect");
        connector.setDaemon(true);
        connector.start();
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void connect(Socket client) {
    try {
      awaitHealed();
      Socket server = new Socket(target.getAddress(), target.getPort());
      open.add(server);
      pump(client, server);
      pump(server, client);
    } catch (IOException e) {
      closeQuietly(client);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(client);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          awaitHealed();
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException ignored) {
        // one side closed: close both
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "link-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    synchronized (gate) {
      gate.notifyAll();
    }
    open.forEach(TcpLink::closeQuietly);
    listener.close();
  }
}
