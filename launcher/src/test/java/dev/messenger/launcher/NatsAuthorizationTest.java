package dev.messenger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NatsAuthorizationTest {

  @Test
  void should_let_only_session_servers_submit_to_routers() {
    for (NatsUser user : NatsUser.values()) {
      NatsPermissions permissions = user.permissions("msgr");
      boolean submits = permissions.publishAllow().contains("msgr.submit.*");
      assertThat(submits).as(user.name()).isEqualTo(user == NatsUser.SESSION);
    }
    assertThat(NatsUser.ROUTER.permissions("msgr").subscribeAllow()).contains("msgr.submit.*");
    assertThat(NatsUser.SESSION.permissions("msgr").subscribeAllow()).doesNotContain("msgr.submit.*");
  }

  @Test
  void should_let_each_publisher_of_user_subjects_publish_on_its_own_alone() {
    Map<NatsUser, String> ownSubject = Map.of(NatsUser.ROUTER, "msgr.user.router.alice",
        NatsUser.SESSION, "msgr.user.session.alice", NatsUser.PRESENCE, "msgr.user.presence.alice");

    for (NatsUser user : NatsUser.values()) {
      for (Map.Entry<NatsUser, String> subject : ownSubject.entrySet()) {
        assertThat(mayPublish(user.permissions("msgr"), subject.getValue()))
            .as(user + " publishing " + subject.getValue()).isEqualTo(user == subject.getKey());
      }
    }
    assertThat(mayPublish(NatsUser.SESSION.permissions("msgr"), "msgr.user.router.x")).isFalse();
    assertThat(mayPublish(NatsUser.SESSION.permissions("msgr"), "msgr.user.x")).isFalse();
    assertThat(mayPublish(NatsUser.ROUTER.permissions("msgr"), "msgr.user.router.a.b@c")).isTrue();
  }

  @Test
  void should_let_session_servers_hear_every_publisher_of_a_user_and_presence_only_its_own() {
    assertThat(NatsUser.SESSION.permissions("msgr").subscribeAllow()).contains("msgr.user.*.>");
    assertThat(NatsUser.PRESENCE.permissions("msgr").subscribeAllow())
        .contains("msgr.user.presence.>").doesNotContain("msgr.user.*.>");
    assertThat(NatsUser.ROUTER.permissions("msgr").subscribeAllow()).noneMatch(subject -> subject.contains("user"));
  }

  /** NATS's rule: a subject is published when an allow pattern matches it and no deny pattern does. */
  private static boolean mayPublish(NatsPermissions permissions, String subject) {
    return permissions.publishAllow().stream().anyMatch(pattern -> matches(pattern, subject))
        && permissions.publishDeny().stream().noneMatch(pattern -> matches(pattern, subject));
  }

  private static boolean matches(String pattern, String subject) {
    String[] wanted = pattern.split("\\.");
    String[] tokens = subject.split("\\.");
    for (int i = 0; i < wanted.length; i++) {
      if (wanted[i].equals(">")) {
        return tokens.length > i;
      }
      if (i >= tokens.length || !(wanted[i].equals("*") || wanted[i].equals(tokens[i]))) {
        return false;
      }
    }
    return wanted.length == tokens.length;
  }

  @Test
  void should_give_push_its_two_streams_and_their_acks_and_nothing_of_the_messaging_subjects() {
    NatsPermissions push = NatsUser.PUSH.permissions("msgr");

    assertThat(push.publishAllow())
        .contains("msgr.push.jobs", "$JS.API.STREAM.*.msgr-push-candidates", "$JS.API.CONSUMER.*.*.msgr-push-jobs.>",
            "$JS.ACK.msgr-push-candidates.>", "$JS.ACK.msgr-push-jobs.>")
        .noneMatch(subject -> subject.startsWith("msgr.user") || subject.startsWith("msgr.submit"));
    assertThat(push.subscribeAllow()).containsExactly("_INBOX.>", "msgr.health.*");
  }

  @Test
  void should_let_every_service_echo_its_health_probe_through_its_own_subject() {
    String probeSubject = "msgr.health.Xq3mZ9pLk2";
    for (NatsUser user : List.of(NatsUser.SESSION, NatsUser.ROUTER, NatsUser.PRESENCE, NatsUser.PUSH)) {
      NatsPermissions permissions = user.permissions("msgr");
      assertThat(mayPublish(permissions, probeSubject)).as(user.name()).isTrue();
      assertThat(permissions.subscribeAllow()).as(user.name()).anyMatch(pattern -> matches(pattern, probeSubject));
    }
    assertThat(mayPublish(NatsUser.SESSION.permissions("msgr"), "other.health.Xq3mZ9pLk2")).isFalse();
  }

  @Test
  void should_keep_the_tools_out_of_the_namespace_and_its_streams() {
    NatsPermissions tools = NatsUser.TOOLS.permissions("msgr");

    assertThat(tools.publishAllow()).containsExactly(">");
    assertThat(tools.publishDeny()).contains("msgr.>", "$JS.API.STREAM.*.msgr-push-candidates",
        "$JS.API.CONSUMER.*.msgr-push-jobs.>", "$JS.ACK.msgr-push-jobs.>");
    assertThat(tools.subscribeDeny()).containsExactly("msgr.>");
  }

  @Test
  void should_follow_the_namespace() {
    for (NatsUser user : NatsUser.values()) {
      NatsPermissions permissions = user.permissions("blue");
      assertThat(List.of(permissions.publishAllow(), permissions.publishDeny(), permissions.subscribeAllow(),
          permissions.subscribeDeny()))
          .as(user.name())
          .allSatisfy(subjects -> assertThat(subjects).noneMatch(subject -> subject.contains("msgr")));
    }
    assertThat(NatsUser.SESSION.permissions("blue").publishAllow()).contains("blue.submit.*", "blue.presence.*");
  }

  @Test
  void should_render_a_user_per_kind_with_its_permissions() {
    Map<NatsUser, Login> logins = new EnumMap<>(NatsUser.class);
    for (NatsUser user : NatsUser.values()) {
      logins.put(user, new Login(user.user(), user.user() + "Secret"));
    }
    String block = new NatsAuthorization("msgr", logins, new Login("route", "routeSecret")).render();

    assertThat(block)
        .startsWith("authorization {\n  users: [\n")
        .endsWith("  ]\n}\n")
        .contains("    { user: \"router\", password: \"routerSecret\", permissions: { publish: { allow: "
            + "[\"msgr.user.router.>\", \"msgr.push.candidates\", \"_INBOX.>\", ")
        .contains("    { user: \"session\", password: \"sessionSecret\", permissions: { publish: { allow: "
            + "[\"msgr.submit.*\", \"msgr.user.session.>\", \"msgr.sessions.alive\", \"msgr.presence.*\", "
            + "\"msgr.health.*\"] }, subscribe: { allow: [\"msgr.user.*.>\", \"msgr.sessions.alive\", \"_INBOX.>\", "
            + "\"msgr.health.*\"] } } }\n")
        .contains("{ user: \"tools\", password: \"toolsSecret\", permissions: { publish: { allow: [\">\"], deny: "
            + "[\"msgr.>\", ")
        .doesNotContain("routeSecret");
  }

  @Test
  void should_refuse_a_namespace_that_is_not_one_subject_token() {
    assertThatThrownBy(() -> NatsAuthorization.generate("msgr.>")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NatsAuthorization.generate("Msgr")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_generate_a_password_per_user_and_for_the_routes() {
    NatsAuthorization authorization = NatsAuthorization.generate("msgr");

    assertThat(NatsUser.values()).extracting(user -> authorization.login(user).password())
        .doesNotHaveDuplicates()
        .doesNotContain(authorization.routeLogin().password());
    assertThat(authorization.login(NatsUser.PUSH).user()).isEqualTo("push");
  }
}
