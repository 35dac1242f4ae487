package dev.messenger.history.api;

import dev.messenger.common.ConversationIds;
import dev.messenger.common.errors.ApiErrors;

/** Validation of the size and seq fields of History requests, with the errors clients see. */
final class RequestLimits {
  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 200;
  static final int DEFAULT_SYNC_MESSAGES = 500;
  static final int MAX_SYNC_MESSAGES = 2000;

  private RequestLimits() {}

  /** A page size: 0 means 50; above 200 is INVALID_ARGUMENT (PAGE_SIZE_TOO_LARGE). */
  static int pageSize(int requested) {
    return bounded(requested, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, "PAGE_SIZE_TOO_LARGE", "page_size");
  }

  /** A Sync budget: 0 means 500; above 2,000 is INVALID_ARGUMENT (MAX_MESSAGES_TOO_LARGE). */
  static int syncMessages(int requested) {
    return bounded(requested, DEFAULT_SYNC_MESSAGES, MAX_SYNC_MESSAGES, "MAX_MESSAGES_TOO_LARGE", "max_messages");
  }

  /** A seq from a request (uint64): values that do not fit a signed long are INVALID_ARGUMENT. */
  static long seq(long requested, String field) {
    if (requested < 0) {
      throw ApiErrors.invalidArgument("SEQ_OUT_OF_RANGE", field + " is out of range");
    }
    return requested;
  }

  /** A conversation id that is present and of sane length (as the session server checks it). */
  static String conversationId(String requested) {
    return ConversationIds.fromRequest(requested);
  }

  private static int bounded(int requested, int dflt, int max, String reason, String field) {
    // uint32 fields arrive as int: values above 2^31 - 1 are negative here and too large as well.
    if (requested < 0 || requested > max) {
      throw ApiErrors.invalidArgument(reason, field + " must be at most " + max);
    }
    return requested == 0 ? dflt : requested;
  }
}
