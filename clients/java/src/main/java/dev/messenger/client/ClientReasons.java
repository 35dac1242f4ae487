package dev.messenger.client;

/** Reasons of the {@link dev.messenger.api.v1.StreamError}s that the client itself reports. */
public final class ClientReasons {
  /** The server delivered a seq beyond cursor + 1; the client reconnects so that catch-up fills the gap. */
  public static final String GAP_DETECTED = "CLIENT_GAP_DETECTED";
  /** Nothing arrived from the server for two heartbeat intervals; the client reconnects. */
  public static final String HEARTBEAT_TIMEOUT = "CLIENT_HEARTBEAT_TIMEOUT";
  /** No Welcome arrived in time after opening a stream; the client reconnects. */
  public static final String WELCOME_TIMEOUT = "CLIENT_WELCOME_TIMEOUT";
  /** No channel could be made for a target (e.g. the channel factory failed); retried with backoff. */
  public static final String CONNECT_FAILED = "CLIENT_CONNECT_FAILED";
  /** The token supplier failed; the client retries with backoff. */
  public static final String TOKEN_UNAVAILABLE = "CLIENT_TOKEN_UNAVAILABLE";

  private ClientReasons() {}
}
