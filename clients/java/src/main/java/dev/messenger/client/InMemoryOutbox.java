package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.SendRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A bounded outbox in memory: unacknowledged sends survive reconnects, not process restarts. */
public final class InMemoryOutbox implements Outbox {
  /** Capacity of {@link #InMemoryOutbox()}. */
  public static final int DEFAULT_CAPACITY = 1_000;

  private final int capacity;
  private final Map<String, SendRequest> entries = new LinkedHashMap<>();

  public InMemoryOutbox() {
    this(DEFAULT_CAPACITY);
  }

  public InMemoryOutbox(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  @Override
  public synchronized boolean add(SendRequest request) {
    requireNonNull(request, "request");
    if (entries.size() >= capacity && !entries.containsKey(request.getClientMessageId())) {
      return false;
    }
    entries.put(request.getClientMessageId(), request);
    return true;
  }

  @Override
  public synchronized Optional<SendRequest> get(String clientMessageId) {
    return Optional.ofNullable(entries.get(clientMessageId));
  }

  @Override
  public synchronized void remove(String clientMessageId) {
    entries.remove(clientMessageId);
  }

  @Override
  public synchronized List<SendRequest> pending() {
    return List.copyOf(entries.values());
  }
}
