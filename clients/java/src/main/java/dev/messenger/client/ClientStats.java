package dev.messenger.client;

/** Counters of one client since it was built. */
public record ClientStats(
    long streamsOpened,
    long welcomes,
    long messagesReceived,
    long duplicatesDropped,
    long gapsDetected,
    long sendsAcked,
    long sendsWritten) {}
