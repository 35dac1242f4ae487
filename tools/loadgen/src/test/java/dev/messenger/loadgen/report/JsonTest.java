package dev.messenger.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void should_read_back_what_it_writes() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("p99", 12.5);
    inner.put("count", 3L);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", "a \"quoted\"\\ name\n");
    root.put("latency", inner);
    root.put("list", List.of(1L, 2L, "three", true));
    root.put("empty", Map.of());
    root.put("nothing", null);

    Object back = Json.parse(Json.write(root));

    assertThat(back).isEqualTo(root);
    assertThat(JsonPaths.number(Json.parseObject(Json.write(root)), "latency.p99")).isEqualTo(12.5);
  }

  @Test
  void should_write_integral_doubles_as_integers_and_not_a_number_as_null() {
    assertThat(Json.write(List.of(3.0, 0.25, Double.NaN)).trim()).isEqualTo("[3, 0.25, null]");
  }

  @Test
  void should_say_where_a_document_is_malformed() {
    assertThatThrownBy(() -> Json.parse("{\"a\": [1, 2}")).hasMessageContaining("malformed JSON at");
    assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("trailing");
  }

  @Test
  void should_find_nothing_on_a_missing_path() {
    Map<String, Object> root = Json.parseObject("{\"a\": {\"b\": 1}}");
    assertThat(JsonPaths.find(root, "a.c")).isEmpty();
    assertThat(JsonPaths.numberOr(root, "a.b.c")).isEmpty();
    assertThatThrownBy(() -> JsonPaths.number(root, "x.y")).hasMessageContaining("x.y");
  }
}
