package dev.messenger.loadgen.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultWindowTest {
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private HttpServer controlPort;

  @BeforeEach
  void start() throws Exception {
    controlPort = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    controlPort.createContext("/", exchange -> {
      String query = exchange.getRequestURI().getQuery();
      requests.add(exchange.getRequestURI().getPath() + "?" + query);
      boolean broken = query.contains("service=push");
      byte[] body = (broken ? "{\"error\":\"push did not start\"}"
          : "{\"service\":\"" + query.replaceAll(".*service=([^&]*).*", "$1") + "\"}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(broken ? 500 : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    controlPort.start();
  }

  @AfterEach
  void stop() {
    controlPort.stop(0);
  }

  @Test
  void should_do_the_faults_of_a_series_one_after_the_other_and_record_each_answer() {
    Map<String, Object> chaos = run("history:kill+presence:term+router:pause=3");

    assertThat(requests).containsExactly("/restart?service=history&signal=KILL",
        "/restart?service=presence&signal=TERM", "/pause?service=router&seconds=3");
    assertThat(chaos).doesNotContainKey("control_error")
        .containsEntry("fault", "history:kill+presence:term+router:pause=3");
    assertThat(((List<?>) chaos.get("control")).stream().map(answer -> String.valueOf(((Map<?, ?>) answer).get("service"))).toList())
        .containsExactly("history", "presence", "router");
  }

  @Test
  void should_stop_the_series_at_the_first_fault_not_done_and_say_why() {
    Map<String, Object> chaos = run("history:kill+push:kill+router:kill");

    assertThat(requests).containsExactly("/restart?service=history&signal=KILL", "/restart?service=push&signal=KILL");
    assertThat((String) chaos.get("control_error")).contains("500", "push did not start");
    assertThat((List<?>) chaos.get("control")).hasSize(1);
    assertThat(FaultOutcome.of("history:kill+push:kill+router:kill", Map.of(
        "messages", Map.of("lost", 0, "duplicated", 0, "out_of_order", 0, "unresolved", 0, "failed", 0),
        "errors", Map.of(), "series", List.of(),
        "server", Map.of("metrics_over_window", Map.of("chaos", chaos)),
        "history_check", Map.of("missing", 0, "duplicated", 0, "misplaced", 0, "gaps", 0))).promisesHeld())
        .as("a series not done in full proves nothing").isFalse();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> run(String series) {
    FaultWindow window = new FaultWindow(FaultSeries.parse(series),
        new StackControlClient(URI.create("http://127.0.0.1:" + controlPort.getAddress().getPort())));
    window.windowStarts();
    return (Map<String, Object>) window.windowEnds().get("chaos");
  }
}
