package dev.messenger.loadgen.run;

/** How each user's sends are spread in time; either way they are scheduled by the clock (open loop). */
public enum Arrival {
  /** Evenly spaced per user, with a random phase per user: a smooth aggregate rate. */
  UNIFORM,
  /** Exponentially distributed gaps per user: bursts as independent users would make them. */
  POISSON
}
