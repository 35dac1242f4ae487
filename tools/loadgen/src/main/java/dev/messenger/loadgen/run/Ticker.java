package dev.messenger.loadgen.run;

/** A monotonic nanosecond clock; {@link #system()} in production, a settable one in tests. */
@FunctionalInterface
public interface Ticker {
  long nanoTime();

  static Ticker system() {
    return System::nanoTime;
  }
}
