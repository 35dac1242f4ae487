package dev.messenger.loadgen.run;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Each simulated device's own random source, reproducible from the run's seed. java.util.Random seeded with
 * consecutive numbers gives nearly the same first draws (the seed moves its top bits by 1/11,000 of their
 * range per step): every device of a ramp then picked the same session server from the same discovery
 * answer and backed off by the same jitter, which no population of real phones does. The seed is mixed
 * first, as SplittableRandom does it.
 */
final class DeviceRandoms {
  private final long runSeed;

  DeviceRandoms(long scenarioSeed, String runId) {
    this.runSeed = scenarioSeed * 1_000_003L + runId.hashCode() * 31L;
  }

  Random forDevice(int index) {
    return new Random(new SplittableRandom(runSeed + index).nextLong());
  }
}
