package dev.messenger.common.cql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadSpeculationTest {
  @Test
  void should_add_the_option_to_a_table_without_options() {
    assertThat(ReadSpeculation.withOption("CREATE TABLE IF NOT EXISTS ks.t (id int PRIMARY KEY)"))
        .isEqualTo("CREATE TABLE IF NOT EXISTS ks.t (id int PRIMARY KEY) WITH speculative_retry = '20ms'");
  }

  @Test
  void should_join_the_options_a_table_has_already() {
    assertThat(ReadSpeculation.withOption("CREATE TABLE IF NOT EXISTS ks.t (id int, seq bigint, "
        + "PRIMARY KEY ((id), seq)) WITH CLUSTERING ORDER BY (seq ASC)"))
        .endsWith(") WITH CLUSTERING ORDER BY (seq ASC) AND speculative_retry = '20ms'");
  }

  @Test
  void should_leave_a_keyspace_and_other_statements_alone() {
    String keyspace = "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy'}";
    assertThat(ReadSpeculation.withOption(keyspace)).isEqualTo(keyspace);
    assertThat(ReadSpeculation.withOption("ALTER TABLE ks.t ADD c text")).isEqualTo("ALTER TABLE ks.t ADD c text");
  }

  @Test
  void should_read_the_stored_value_as_the_stores_spell_it() {
    assertThat(ReadSpeculation.isOurs("20ms")).isTrue();
    assertThat(ReadSpeculation.isOurs("20.00ms")).isTrue();
    assertThat(ReadSpeculation.isOurs("20MS")).isTrue();
    assertThat(ReadSpeculation.isOurs("99p")).isFalse();
    assertThat(ReadSpeculation.isOurs("99.0PERCENTILE")).isFalse();
    assertThat(ReadSpeculation.isOurs("200ms")).isFalse();
    assertThat(ReadSpeculation.isOurs("MIN(99p,20ms)")).isFalse();
    assertThat(ReadSpeculation.isOurs(null)).isFalse();
  }
}
