package dev.messenger.session;

/**
 * Bounds on one stream's memory: frames queued for a client that is not reading, live messages held while
 * catch-up runs, and messages read from history per catch-up batch.
 */
record StreamLimits(int maxQueuedFrames, int maxHeldLive, int catchUpBatch) {
  StreamLimits {
    if (maxQueuedFrames < 2 || maxHeldLive < 1 || catchUpBatch < 1 || catchUpBatch > maxQueuedFrames) {
      throw new IllegalArgumentException("invalid stream limits");
    }
  }

  static StreamLimits defaults() {
    return new StreamLimits(1024, 1024, 256);
  }
}
