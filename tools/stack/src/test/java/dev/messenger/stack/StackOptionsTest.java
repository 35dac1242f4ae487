package dev.messenger.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StackOptionsTest {
  @Test
  void should_default_to_one_of_each_service_on_the_usual_ports_without_logins() {
    StackOptions options = StackOptions.parse(new String[] {"/repo"});

    assertThat(options.basePort()).isEqualTo(7000);
    assertThat(options.runDir()).isEqualTo(Path.of("/repo/.messenger/run"));
    assertThat(options.sessionCount()).isOne();
    assertThat(options.routerCount()).isOne();
    assertThat(options.cluster()).isFalse();
    assertThat(options.auth()).isFalse();
    assertThat(options.tls()).isFalse();
  }

  @Test
  void should_take_tls_alone_or_with_the_others() {
    assertThat(StackOptions.parse(new String[] {"/repo", "--tls"}).tls()).isTrue();
    StackOptions all = StackOptions.parse(new String[] {"/repo", "--auth", "--tls", "--cluster"});

    assertThat(all.tls()).isTrue();
    assertThat(all.auth()).isTrue();
    assertThat(all.cluster()).isTrue();
  }

  @Test
  void should_take_auth_with_cluster_and_two_of_each_service_in_cluster_mode() {
    StackOptions options = StackOptions.parse(new String[] {"/repo", "--cluster", "--auth"});

    assertThat(options.auth()).isTrue();
    assertThat(options.cluster()).isTrue();
    assertThat(options.sessionCount()).isEqualTo(2);
    assertThat(options.routerCount()).isEqualTo(2);
  }

  @Test
  void should_let_counts_given_win_over_the_cluster_default() {
    StackOptions options = StackOptions.parse(new String[] {"/repo", "--sessions=3", "--cluster", "--routers=1",
        "--base-port=17000", "--run-dir=/tmp/run"});

    assertThat(options.sessionCount()).isEqualTo(3);
    assertThat(options.routerCount()).isOne();
    assertThat(options.basePort()).isEqualTo(17000);
    assertThat(options.runDir()).isEqualTo(Path.of("/tmp/run"));
  }

  @Test
  void should_refuse_what_it_does_not_know_or_cannot_run_naming_the_argument() {
    assertThatThrownBy(() -> StackOptions.parse(new String[] {"/repo", "--auth=yes"}))
        .hasMessage("unknown argument: --auth=yes");
    assertThatThrownBy(() -> StackOptions.parse(new String[] {"/repo", "--tls=on"}))
        .hasMessage("unknown argument: --tls=on");
    assertThatThrownBy(() -> StackOptions.parse(new String[] {"/repo", "--sessions=10"}))
        .hasMessage("--sessions must be between 1 and 9: --sessions=10");
    assertThatThrownBy(() -> StackOptions.parse(new String[] {"/repo", "--routers=two"}))
        .hasMessage("--routers must be a number: --routers=two");
    assertThatThrownBy(() -> StackOptions.parse(new String[] {"/repo", "--base-port=80"}))
        .hasMessageStartingWith("--base-port must be between 1024 and ");
  }
}
