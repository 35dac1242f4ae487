package dev.messenger.session;

/**
 * Bounds on one stream's memory, in frames and in bytes (a message of 100,000 characters is up to ~400 KB):
 * frames queued for a client that is not reading, live messages held while catch-up runs, and messages read
 * from history per catch-up batch (fewer when the conversation's messages are large).
 */
record StreamLimits(int maxQueuedFrames, long maxQueuedBytes, int maxHeldLive, long maxHeldLiveBytes,
    int catchUpBatch) {
  /** Large enough for one message of the largest size, with room to spare. */
  static final long MIN_BYTES = 1L << 20;

  StreamLimits {
    if (maxQueuedFrames < 2 || maxHeldLive < 1 || catchUpBatch < 1 || catchUpBatch > maxQueuedFrames
        || maxQueuedBytes < MIN_BYTES || maxHeldLiveBytes < MIN_BYTES) {
      throw new IllegalArgumentException("invalid stream limits");
    }
  }

  static StreamLimits defaults() {
    return of(1024);
  }

  /** {@code frames} queued or held at most, 16 MiB queued and 8 MiB held at most, batches of up to 256. */
  static StreamLimits of(int frames) {
    return new StreamLimits(frames, 16L << 20, frames, 8L << 20, Math.min(256, frames / 2));
  }
}
