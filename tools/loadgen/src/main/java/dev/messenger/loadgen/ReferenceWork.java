package dev.messenger.loadgen;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A fixed piece of CPU work, the same on every run, whose thread CPU time tells how much a CPU-second does on
 * this machine now. A shared cloud machine's cores do more or less per second from one hour to the next (other
 * tenants on the same caches and memory): its servers' CPU per message moves with them, and so must a
 * comparison of runs measured at different times. The work is a mix of what a server does: dependent reads
 * over a working set larger than a core's caches, hashing, and short-lived boxed objects in a map.
 */
final class ReferenceWork {
  private static final int RING_INTS = 1 << 20;
  private static final int RING_READS = 40_000;
  private static final int HASHED_BYTES = 64 * 1024;
  private static final int HASH_ROUNDS = 4;
  private static final int MAP_ENTRIES = 4_000;
  static final String DESCRIPTION = "40,000 dependent reads at random places in 4 MiB (the same path each time), "
      + "SHA-256 of 256 KiB, 4,000 map entries put and read";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final int[] ring = new int[RING_INTS];
  private final byte[] hashed = new byte[HASHED_BYTES];
  private final MessageDigest sha256;
  /** Written with every job's results, so that the work cannot be optimised away. */
  private volatile long sink;

  ReferenceWork() {
    SplittableRandom random = new SplittableRandom(42);
    int[] order = new int[RING_INTS];
    for (int i = 0; i < RING_INTS; i++) {
      order[i] = i;
    }
    for (int i = RING_INTS - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swapped = order[i];
      order[i] = order[j];
      order[j] = swapped;
    }
    // One cycle through every slot in a random order: each read depends on the one before.
    for (int i = 0; i < RING_INTS; i++) {
      ring[order[i]] = order[(i + 1) % RING_INTS];
    }
    for (int i = 0; i < HASHED_BYTES; i++) {
      hashed[i] = (byte) random.nextInt(256);
    }
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Whether this JVM measures a thread's CPU time; without it the work tells nothing. */
  boolean measurable() {
    return threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
  }

  /** Does the work once on the calling thread; the CPU nanoseconds it took. */
  long cpuNanosOfOneJob() {
    long before = threads.getCurrentThreadCpuTime();
    int slot = 0;
    for (int i = 0; i < RING_READS; i++) {
      slot = ring[slot];
    }
    for (int i = 0; i < HASH_ROUNDS; i++) {
      sha256.update(hashed);
    }
    byte[] digest = sha256.digest();
    Map<Integer, String> map = new HashMap<>();
    for (int i = 0; i < MAP_ENTRIES; i++) {
      map.put(i * 31, Integer.toString(i));
    }
    long length = 0;
    for (int i = 0; i < MAP_ENTRIES; i++) {
      length += map.get(i * 31).length();
    }
    sink += slot + digest[0] + length;
    return threads.getCurrentThreadCpuTime() - before;
  }
}
