package dev.messenger.loadgen.chaos;

import dev.messenger.loadgen.report.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Injects faults through the control port of the local stack ({@code ./messenger up}, base port + 1900). */
public final class StackControlClient {
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5);

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public StackControlClient(URI base) {
    this.base = base;
  }

  /**
   * Does the fault and answers once the service is back (restarts: SERVING again; pauses: SIGCONT sent;
   * cuts: healed).
   */
  public Map<String, Object> inject(Fault fault) throws IOException, InterruptedException {
    String path = switch (fault.kind()) {
      case KILL -> "/restart?service=" + fault.service() + "&signal=KILL";
      case TERM -> "/restart?service=" + fault.service() + "&signal=TERM";
      case PAUSE -> "/pause?service=" + fault.service() + "&seconds=" + fault.pause().toSeconds();
      case ETCD_CUT -> "/cut?service=" + fault.service() + "&from=etcd&seconds=" + fault.pause().toSeconds();
      case NODE_CUT -> "/cut?service=" + fault.service() + "&from=network&seconds=" + fault.pause().toSeconds();
    };
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve(path))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IOException("the stack's control port answered " + answer.statusCode() + " to " + path + ": "
          + answer.body().strip());
    }
    return Json.parseObject(answer.body());
  }

  /** Fails unless the control port answers and lists the service. */
  public void check(String service) throws IOException, InterruptedException {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve("/services"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200 || !answer.body().contains("\"service\":\"" + service + "\"")) {
      throw new IOException("the stack at " + base + " has no service " + service + " (GET /services: "
          + answer.body().strip() + ")");
    }
  }
}
