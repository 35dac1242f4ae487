package dev.messenger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupportTest {
  @TempDir Path temp;

  @Test
  void should_find_an_executable_in_the_given_directories() throws IOException {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path program = Files.createFile(bin.resolve("nats-server"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.createFile(temp.resolve("etcd"));

    assertThat(Executables.find("nats-server", List.of(temp, bin))).contains(program);
    assertThat(Executables.find("etcd", List.of(temp))).isEmpty();
  }

  @Test
  void should_tell_how_to_install_a_missing_program() {
    assertThatThrownBy(() -> Executables.require("nats-server", "nats-server", "MESSENGER_NATS_URL", List.of(temp)))
        .isInstanceOf(InfrastructureException.class)
        .hasMessage("nats-server not found: install it with 'apt-get install -y nats-server'"
            + " (or point MESSENGER_NATS_URL at a running server)");
  }

  @Test
  void should_search_path_then_system_directories() {
    assertThat(Executables.searchPath("/opt/a::/opt/b"))
        .startsWith(Path.of("/opt/a"), Path.of("/opt/b"))
        .contains(Path.of("/usr/sbin"), Path.of("/usr/bin"));
  }

  @Test
  void should_pick_distinct_ports() {
    int[] ports = FreePorts.pick(7);

    assertThat(ports).hasSize(7).doesNotHaveDuplicates();
    assertThat(Arrays.stream(ports).min().orElseThrow()).isPositive();
  }

  @Test
  void should_quote_shell_words() {
    assertThat(Quoting.shellWord("nats://127.0.0.1:4222")).isEqualTo("'nats://127.0.0.1:4222'");
    assertThat(Quoting.shellWord("it's")).isEqualTo("'it'\\''s'");
  }

  @Test
  void should_put_module_classes_before_its_dependencies() throws IOException {
    Path target = Files.createDirectories(temp.resolve("services/session/target"));
    Files.createDirectories(target.resolve("classes"));
    Files.writeString(target.resolve("runtime.classpath"), "/m2/a.jar:/m2/b.jar\n");

    assertThat(ModuleClasspath.of(temp, "services/session"))
        .isEqualTo(target.resolve("classes") + ":/m2/a.jar:/m2/b.jar");
  }

  @Test
  void should_say_how_to_build_a_module_without_a_classpath_file() {
    assertThatThrownBy(() -> ModuleClasspath.of(temp, "services/push"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mvn -pl services/push -am package");
  }

  @Test
  void should_delete_a_temporary_data_directory_on_close() throws IOException {
    Path path;
    try (DataDirectory data = DataDirectory.open(Optional.empty())) {
      path = data.path();
      Files.createDirectories(data.logFile("etcd").getParent());
      Files.writeString(data.logFile("etcd"), "log");
      Files.createDirectories(data.resolve("etcd/member"));
    }
    assertThat(path).doesNotExist();
  }

  @Test
  void should_keep_a_given_data_directory() {
    Path given = temp.resolve("data");
    try (DataDirectory data = DataDirectory.open(Optional.of(given))) {
      assertThat(data.path()).isEqualTo(given);
    }
    assertThat(given).isDirectory();
  }

  @Test
  void should_delete_only_temporary_directories_whose_jvm_is_gone() throws IOException {
    Path abandoned = Files.createDirectories(temp.resolve("messenger-infra-1"));
    Files.writeString(abandoned.resolve("owner.pid"), "999999999");
    Path owned = Files.createDirectories(temp.resolve("messenger-infra-2"));
    Files.writeString(owned.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
    Path starting = Files.createDirectories(temp.resolve("messenger-infra-3"));
    Path unrelated = Files.createDirectories(temp.resolve("other"));
    Files.writeString(unrelated.resolve("owner.pid"), "999999999");

    DataDirectory.deleteAbandoned(temp);

    assertThat(abandoned).doesNotExist();
    assertThat(owned).isDirectory();
    assertThat(starting).isDirectory();
    assertThat(unrelated).isDirectory();
  }
}
