package dev.messenger.history.store;

/**
 * Sequence buckets: wide per-conversation partitions are cut every {@link #BUCKET_SIZE} seqs so that no
 * partition grows without bound. Bucket {@code b} holds seqs {@code b * 1024 .. b * 1024 + 1023} (bucket 0
 * starts at seq 1, since seqs start at 1).
 */
public final class Buckets {
  /** Seqs per bucket. Changing it changes where existing rows are looked up: never change it on live data. */
  public static final long BUCKET_SIZE = 1024;

  private Buckets() {}

  /** The bucket holding {@code seq}. */
  public static long of(long seq) {
    requireValidSeq(seq);
    return seq / BUCKET_SIZE;
  }

  /** The lowest seq that can live in {@code bucket}. */
  public static long firstSeq(long bucket) {
    return bucket == 0 ? 1 : bucket * BUCKET_SIZE;
  }

  /** The highest seq that can live in {@code bucket}. */
  public static long lastSeq(long bucket) {
    return bucket * BUCKET_SIZE + BUCKET_SIZE - 1;
  }

  /** True when {@code seq} is the last seq of its bucket (the bucket is full once it is stored). */
  public static boolean isLastOfBucket(long seq) {
    return seq % BUCKET_SIZE == BUCKET_SIZE - 1;
  }

  static void requireValidSeq(long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative: " + seq);
    }
  }
}
