package dev.messenger.session;

import dev.messenger.api.v1.Receipt;
import java.util.Map;

/**
 * Lets a receipt through to a stream only when it moves forward: a member's devices acknowledge deliveries
 * separately, possibly on different session servers, so "delivered up to 1" from one device may be
 * published after "up to 2" from another; the device that shows ticks sees each member's receipts of a kind
 * only rise. Remembers the last {@link #REMEMBERED} (conversation, member, kind) of its stream; older ones
 * are forgotten, so memory stays small (nothing at all until the first receipt).
 */
final class ReceiptFilter {
  static final int REMEMBERED = 256;

  private Map<String, Long> highest;

  /** True when the receipt is above the last one let through for its conversation, member and kind. */
  boolean admit(Receipt receipt) {
    if (highest == null) {
      highest = RecentKeys.map(REMEMBERED);
    }
    String key = receipt.getConversationId() + '\n' + receipt.getUserId() + '\n' + receipt.getKindValue();
    Long before = highest.get(key);
    if (before != null && receipt.getUpToSeq() <= before) {
      return false;
    }
    highest.put(key, receipt.getUpToSeq());
    return true;
  }
}
