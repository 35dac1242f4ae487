package dev.messenger.client;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link ClientStats}. */
final class Counters {
  final LongAdder streamsOpened = new LongAdder();
  final LongAdder welcomes = new LongAdder();
  final LongAdder messagesReceived = new LongAdder();
  final LongAdder duplicatesDropped = new LongAdder();
  final LongAdder gapsDetected = new LongAdder();
  final LongAdder sendsAcked = new LongAdder();
  final LongAdder sendsWritten = new LongAdder();

  ClientStats snapshot() {
    return new ClientStats(
        streamsOpened.sum(),
        welcomes.sum(),
        messagesReceived.sum(),
        duplicatesDropped.sum(),
        gapsDetected.sum(),
        sendsAcked.sum(),
        sendsWritten.sum());
  }
}
