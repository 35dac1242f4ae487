package dev.messenger.push.decision;

import dev.messenger.api.v1.ConversationKind;
import dev.messenger.internal.v1.PushCandidate;
import dev.messenger.push.decision.Decision.DropReason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Decides, when a device's job falls due, whether to notify and what to say. Pure: the facts come from the
 * store, the time from the caller.
 *
 * <p>A burst collapses by deferral: a job whose conversation has a later job queued for the same device sends
 * nothing, and the last job of the burst says how many messages are new since what the device received or
 * was last told. So that an endless burst still notifies, a job older than {@code maxDeferral} (since its
 * commit) is sent anyway.
 */
public final class JobDecider {
  /** Longest preview text put into a notification, in characters. */
  public static final int MAX_PREVIEW_CHARS = 200;

  private final Duration maxDeferral;

  public JobDecider(Duration maxDeferral) {
    if (maxDeferral.isNegative()) {
      throw new IllegalArgumentException("maxDeferral must not be negative");
    }
    this.maxDeferral = maxDeferral;
  }

  public Decision decide(PushCandidate message, DeviceFacts facts, long nowMs) {
    long seq = message.getSeq();
    if (!facts.registered()) {
      return new Decision.Drop(DropReason.NO_REGISTRATION);
    }
    if (facts.deliveredSeq() >= seq) {
      return new Decision.Drop(DropReason.DELIVERED);
    }
    if (facts.notifiedSeq() >= seq) {
      return new Decision.Drop(DropReason.ALREADY_NOTIFIED);
    }
    if (facts.mutedUntilMs() > nowMs) {
      return new Decision.Drop(DropReason.MUTED);
    }
    if (facts.latestQueuedSeq() > seq && nowMs - message.getServerTimeMs() < maxDeferral.toMillis()) {
      return new Decision.Drop(DropReason.COLLAPSED);
    }
    long count = seq - Math.max(Math.max(facts.deliveredSeq(), facts.notifiedSeq()), 0);
    long unreadHere = Math.max(count, seq - facts.readSeq());
    int badge = (int) Math.min(Integer.MAX_VALUE, unreadHere + Math.max(0, facts.unreadElsewhere()));
    int shownCount = (int) Math.min(Integer.MAX_VALUE, count);
    Optional<String> body = facts.showPreviews() && !message.getBodyPreview().isEmpty()
        ? Optional.of(preview(message))
        : Optional.empty();
    return new Decision.Send(new Notification(collapseId(message.getConversationId()), summary(message, shownCount),
        body, badge, shownCount, message.getConversationId(), seq));
  }

  /** "New message from alice", "3 new messages from alice", "3 new messages in Team". */
  static String summary(PushCandidate message, int count) {
    String what = count == 1 ? "New message" : count + " new messages";
    if (message.getConversationKind() == ConversationKind.CONVERSATION_KIND_GROUP) {
      String title = message.getConversationTitle().isBlank() ? "a group" : message.getConversationTitle();
      return what + " in " + title;
    }
    return what + " from " + message.getSenderUserId();
  }

  private static String preview(PushCandidate message) {
    String text = message.getBodyPreview();
    if (text.length() > MAX_PREVIEW_CHARS) {
      int end = MAX_PREVIEW_CHARS;
      if (Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      text = text.substring(0, end) + "…";
    }
    if (message.getConversationKind() == ConversationKind.CONVERSATION_KIND_GROUP) {
      return message.getSenderUserId() + ": " + text;
    }
    return text;
  }

  /** A stable id per conversation within APNs' 64-byte collapse id limit (conversation ids can be longer). */
  public static String collapseId(String conversationId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(conversationId.getBytes(StandardCharsets.UTF_8));
      return "c-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
