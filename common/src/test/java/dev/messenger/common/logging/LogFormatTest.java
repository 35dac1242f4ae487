package dev.messenger.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The services' logback.xml: dated lines with their key-value pairs, as text or as one JSON object a line. */
class LogFormatTest {
  @Test
  void should_write_text_lines_with_the_utc_date_and_the_key_values() throws Exception {
    String line = logOnce(null);
    assertThat(line).matches("(?s)\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z WARN .*projection of c1 "
        + "failed.*conversation_id=c1.*failures=3.*");
  }

  @Test
  void should_write_one_json_object_a_line_when_asked() throws Exception {
    String line = logOnce("json");
    assertThat(line.strip()).startsWith("{").endsWith("}").doesNotContain("\n");
    assertThat(line).contains("\"level\":\"WARN\"", "\"loggerName\":\"format-test\"",
        "\"formattedMessage\":\"projection of c1 failed\"", "\"conversation_id\":\"c1\"", "\"timestamp\":");
  }

  /** Configures a fresh context from the services' logback.xml and logs one line; returns what it wrote. */
  private static String logOnce(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    if (format != null) {
      context.putProperty("MESSENGER_LOG_FORMAT", format);
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
      // A warning makes logback print its whole configuration status into every service's log at start.
      assertThat(new ch.qos.logback.core.status.StatusUtil(context).getHighestLevel(0))
          .as("logback's configuration status").isLessThan(ch.qos.logback.core.status.Status.WARN);
      Logger log = context.getLogger("format-test");
      log.atWarn().addKeyValue("conversation_id", "c1").addKeyValue("failures", 3).log("projection of c1 failed");
    } finally {
      System.setErr(stderr);
      context.stop();
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
