package dev.messenger.loadgen;

import dev.messenger.loadgen.run.Coordinator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The child side of a multi-process run: says READY on stdout once its devices are connected, then waits
 * for the parent's GO on stdin, so that every process starts sending in the same second.
 */
final class StdinCoordinator implements Coordinator {
  static final String READY = "LOADGEN-READY";
  static final String GO = "GO";

  private final PrintWriter out;

  StdinCoordinator(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void ready(int connectedDevices, int devices) throws InterruptedException {
    synchronized (out) {
      out.println(READY + " " + connectedDevices + " " + devices);
      out.flush();
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.trim().equals(GO)) {
          return;
        }
      }
      throw new IllegalStateException("the parent process went away before GO");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read GO from the parent process", e);
    }
  }
}
