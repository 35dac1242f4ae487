import type { PresenceUpdate } from "./gen/messenger/v1/common_pb.js";
import { defaultBackoff } from "./subscription.js";

/** Opens one WatchPresence stream for {@code users}: their current presence, then every change. */
export type PresenceSource = (users: string[], signal: AbortSignal) => AsyncIterable<PresenceUpdate>;

/**
 * Keeps a WatchPresence stream open for the users the page shows (at most 500): opened again when the set
 * grows and after any failure, with backoff. Each new stream starts with everyone's current presence, so
 * a change missed while disconnected is repaired.
 */
export class PresenceWatcher {
  private users: string[] = [];
  private stream: AbortController | undefined;
  private attempt = 0;
  private stopped = false;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly source: PresenceSource, private readonly onUpdate: (update: PresenceUpdate) => void) {}

  /** Watches {@code users} from now on; restarts the stream only when someone new is among them. */
  watch(users: Iterable<string>): void {
    const wanted = [...new Set(users)].filter((u) => u !== "").sort().slice(0, 500);
    if (wanted.every((u) => this.users.includes(u)) && this.stream !== undefined) {
      return;
    }
    this.users = wanted;
    this.restart();
  }

  /**
   * Opens the stream again for the same users: the server shows only users who share a conversation with
   * the caller, checked when the stream opens, so call this once a new conversation exists.
   */
  refresh(): void {
    if (this.stream !== undefined) {
      this.restart();
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.stream?.abort();
  }

  private restart(): void {
    clearTimeout(this.retry);
    this.stream?.abort();
    if (this.stopped || this.users.length === 0) {
      this.stream = undefined;
      return;
    }
    const stream = new AbortController();
    this.stream = stream;
    void this.consume(stream, this.users);
  }

  private async consume(stream: AbortController, users: string[]): Promise<void> {
    try {
      for await (const update of this.source(users, stream.signal)) {
        this.attempt = 0;
        this.onUpdate(update);
      }
    } catch {
      // ended below
    }
    if (stream.signal.aborted || this.stopped) {
      return;
    }
    this.retry = setTimeout(() => this.restart(), defaultBackoff(this.attempt++));
  }
}
