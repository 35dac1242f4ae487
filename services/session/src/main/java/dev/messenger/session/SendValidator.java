package dev.messenger.session;

import dev.messenger.api.v1.SendRequest;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.internal.v1.SubmitRequest;

/** Checks a send before it leaves the session server and turns it into a SubmitRequest for the router. */
final class SendValidator {
  static final int MAX_BODY_CODE_POINTS = 100_000;
  static final int MAX_CLIENT_ID_LENGTH = 64;

  private SendValidator() {}

  /** The router's request for a valid send; INVALID_ARGUMENT (with a reason) for anything else. */
  static SubmitRequest validate(Principal sender, SendRequest send) {
    String clientId = send.getClientMessageId();
    if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_LENGTH) {
      throw ApiErrors.invalidArgument("INVALID_CLIENT_MESSAGE_ID",
          "client_message_id must have 1 to " + MAX_CLIENT_ID_LENGTH + " characters");
    }
    String body = send.getBody();
    if (body.isEmpty()) {
      throw ApiErrors.invalidArgument("EMPTY_BODY", "the message body is empty");
    }
    if (body.length() > MAX_BODY_CODE_POINTS
        && body.codePointCount(0, body.length()) > MAX_BODY_CODE_POINTS) {
      throw ApiErrors.invalidArgument("BODY_TOO_LONG",
          "the message body has more than " + MAX_BODY_CODE_POINTS + " characters");
    }
    SubmitRequest.Builder submit = SubmitRequest.newBuilder()
        .setSenderUserId(sender.userId())
        .setSenderDeviceId(sender.deviceId())
        .setClientMessageId(clientId)
        .setFirstAttempt(send.getFirstAttempt())
        .setBody(body);
    switch (send.getTargetCase()) {
      case TO_USER_ID -> {
        String to = send.getToUserId();
        if (!Tokens.isValidId(to)) {
          throw ApiErrors.invalidArgument("INVALID_USER_ID", "to_user_id is not a valid user id");
        }
        if (to.equals(sender.userId())) {
          throw ApiErrors.invalidArgument("SELF_CONVERSATION", "cannot open a 1:1 conversation with yourself");
        }
        submit.setConversationId(ConversationIds.direct(sender.userId(), to));
      }
      case CONVERSATION_ID -> {
        String conversationId = ConversationIds.fromRequest(send.getConversationId());
        if (ConversationIds.isDirect(conversationId)) {
          ConversationIds.Pair members = ConversationIds.directMembers(conversationId)
              .orElseThrow(() -> ApiErrors.invalidArgument("MALFORMED_CONVERSATION_ID",
                  "malformed direct conversation id: " + conversationId));
          if (!members.contains(sender.userId())) {
            throw ApiErrors.permissionDenied("NOT_A_MEMBER", "you are not a member of this conversation");
          }
        } else if (!ConversationIds.isGroup(conversationId)) {
          throw ApiErrors.invalidArgument("MALFORMED_CONVERSATION_ID", "unknown conversation id format");
        }
        submit.setConversationId(conversationId);
      }
      default -> throw ApiErrors.invalidArgument("MISSING_TARGET", "set conversation_id or to_user_id");
    }
    return submit.build();
  }
}
