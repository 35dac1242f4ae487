package dev.messenger.loadgen.run;

/**
 * Which part of the users one load-generator process simulates when several processes share a run.
 * Every conversation lies inside one shard, so each process checks its own messages completely.
 */
public record Shard(int index, int count) {
  public static final Shard WHOLE = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("shard must be i/n with 0 <= i < n");
    }
  }

  /** Parses "i/n". */
  public static Shard parse(String text) {
    String[] parts = text.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("shard must look like 0/3, got " + text);
    }
    return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
  }

  /** First user (global index) of this shard. */
  public int firstUser(int users) {
    return (int) ((long) users * index / count);
  }

  /** One past the last user of this shard. */
  public int endUser(int users) {
    return (int) ((long) users * (index + 1) / count);
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
