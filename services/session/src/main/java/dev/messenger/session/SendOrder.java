package dev.messenger.session;

import dev.messenger.common.errors.ApiErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The order of one stream's sends, per conversation: the sends not acknowledged yet, in the order the
 * device wrote them, including those refused for now that the device will resend. Each send names the one
 * before it, and the router places it only behind that one; so a send refused or lost in a failover is
 * never overtaken by the device's later sends. A refused send the device does not resend within
 * {@link #FORGET_AFTER} stops holding the later ones back.
 */
final class SendOrder {
  static final Duration FORGET_AFTER = Duration.ofMinutes(5);
  static final int MAX_OUTSTANDING = 4096;
  private final LongSupplier nanoClock;
  /** conversation → client message id → when it was refused (null while the router has it). */
  private final Map<String, LinkedHashMap<String, Long>> outstanding = new HashMap<>();
  private int count;

  SendOrder(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  static SendOrder systemClock() {
    return new SendOrder(System::nanoTime);
  }

  /**
   * Registers a send written by the device (again, if it is a resend) and returns the client message id it
   * must be placed behind, or "" when nothing earlier is outstanding. Refuses it (ABORTED,
   * EARLIER_SEND_NOT_STORED) while an earlier send of the conversation waits to be resent.
   */
  synchronized String previous(String conversationId, String clientMessageId) {
    LinkedHashMap<String, Long> sends = outstanding.computeIfAbsent(conversationId, c -> new LinkedHashMap<>());
    forgetStale(sends);
    if (!sends.containsKey(clientMessageId)) {
      if (count >= MAX_OUTSTANDING) {
        if (count < 2 * MAX_OUTSTANDING) {
          // Kept as refused, like any refused send: the conversation's later sends wait for its resend
          // instead of overtaking it. Beyond twice the limit the device ignores every answer it gets.
          sends.put(clientMessageId, nanoClock.getAsLong());
          count++;
        }
        dropIfEmpty(conversationId, sends);
        throw ApiErrors.resourceExhausted("TOO_MANY_PENDING_SENDS",
            "more than " + MAX_OUTSTANDING + " sends of this stream are not acknowledged; wait for their answers");
      }
      count++;
    }
    String before = "";
    String awaitingResend = null;
    for (Map.Entry<String, Long> earlier : sends.entrySet()) {
      if (earlier.getKey().equals(clientMessageId)) {
        break;
      }
      before = earlier.getKey();
      if (awaitingResend == null && earlier.getValue() != null) {
        awaitingResend = earlier.getKey();
      }
    }
    if (awaitingResend != null) {
      // Refused here, without a trip to the router: it would refuse it too.
      sends.put(clientMessageId, nanoClock.getAsLong());
      throw ApiErrors.earlierSendNotStored(awaitingResend);
    }
    sends.put(clientMessageId, null);
    return before;
  }

  /** The send was answered: acknowledged or refused for good (forgotten), or to be resent later (kept). */
  synchronized void answered(String conversationId, String clientMessageId, boolean resendExpected) {
    LinkedHashMap<String, Long> sends = outstanding.get(conversationId);
    if (sends == null || !sends.containsKey(clientMessageId)) {
      return;
    }
    if (resendExpected) {
      sends.put(clientMessageId, nanoClock.getAsLong());
      return;
    }
    sends.remove(clientMessageId);
    count--;
    dropIfEmpty(conversationId, sends);
  }

  synchronized int outstanding() {
    return count;
  }

  private void forgetStale(LinkedHashMap<String, Long> sends) {
    long cutoff = nanoClock.getAsLong() - FORGET_AFTER.toNanos();
    List<String> stale = new ArrayList<>();
    sends.forEach((id, refusedAt) -> {
      if (refusedAt != null && refusedAt - cutoff < 0) {
        stale.add(id);
      }
    });
    stale.forEach(sends::remove);
    count -= stale.size();
  }

  private void dropIfEmpty(String conversationId, LinkedHashMap<String, Long> sends) {
    if (sends.isEmpty()) {
      outstanding.remove(conversationId);
    }
  }
}
