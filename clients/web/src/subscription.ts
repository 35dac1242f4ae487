import type { Message, PresenceUpdate, Receipt, StreamError } from "./gen/messenger/v1/common_pb.js";
import type { ServerFrame, TypingUpdate, Welcome } from "./gen/messenger/v1/session_pb.js";
import type { DeviceCursor } from "./cursor.js";

/** Opens one Subscribe stream resuming from {@code resume}; ends (or throws) when the stream ends. */
export type FrameSource = (resume: Record<string, bigint>, signal: AbortSignal) => AsyncIterable<ServerFrame>;

export type ConnectionState = "connecting" | "catching-up" | "live" | "reconnecting" | "stopped";

/** What the subscription reports. Messages arrive once each, per conversation in seq order. */
export interface SubscriptionListener {
  state(state: ConnectionState, detail?: string): void;
  welcome(welcome: Welcome): void;
  message(message: Message): void;
  receipt(receipt: Receipt): void;
  typing(update: TypingUpdate): void;
  presence(update: PresenceUpdate): void;
  streamError(error: StreamError): void;
}

export interface SubscriptionOptions {
  /** Keeps presence alive while a stream is open; called every Welcome.heartbeat_interval_ms. */
  heartbeat: () => Promise<void>;
  /** Saves the cursor after it moved. */
  persist: () => void;
  /** Errors after which reconnecting cannot help (e.g. an expired token): the subscription stops. */
  isFatal?: (error: unknown) => boolean;
  /** Wait before reconnect attempt n (0-based). */
  backoffMs?: (attempt: number) => number;
  /** The delay the server asked for in the error that ended the stream (RetryInfo), if any. */
  retryDelayMs?: (error: unknown) => number | undefined;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/** 0.25 s, 0.5 s, 1 s, 2 s, then 4 s, each with up to 25 % jitter. */
export function defaultBackoff(attempt: number): number {
  const base = 250 * 2 ** Math.min(attempt, 4);
  return base + Math.floor(Math.random() * base * 0.25);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

/**
 * The web device's live connection: a Subscribe stream resumed from the device's cursor, opened again
 * after every end or failure (with backoff), so that every message reaches the listener exactly once and
 * in order, whatever happens to the network. A delivery already seen is dropped; one beyond a gap (which
 * the server promises never to send) restarts the stream from the cursor, which fills the gap.
 */
export class ResumingSubscription {
  private readonly controller = new AbortController();
  private readonly backoffMs: (attempt: number) => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private running: Promise<void> | undefined;
  private streams = 0;
  private wake: AbortController | undefined;

  constructor(
    private readonly source: FrameSource,
    private readonly cursor: DeviceCursor,
    private readonly listener: SubscriptionListener,
    private readonly options: SubscriptionOptions,
  ) {
    this.backoffMs = options.backoffMs ?? defaultBackoff;
    this.sleep = options.sleep ?? abortableSleep;
    this.setTimer = options.setInterval ?? ((fn, ms) => setInterval(fn, ms));
    this.clearTimer = options.clearInterval ?? ((handle) => clearInterval(handle as ReturnType<typeof setInterval>));
  }

  /** Number of streams opened so far (the first one included). */
  get streamsOpened(): number {
    return this.streams;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Skips the rest of a reconnect wait (the browser says it is online again). */
  reconnectNow(): void {
    this.wake?.abort();
  }

  /** Ends the stream for good; resolves once the loop has stopped. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    const stopped = this.controller.signal;
    while (!stopped.aborted) {
      const stream = new AbortController();
      const onStop = () => stream.abort();
      stopped.addEventListener("abort", onStop);
      let heartbeat: unknown;
      let failedHeartbeats = 0;
      let reason = "the stream ended";
      let askedDelay = 0;
      this.listener.state(this.streams === 0 ? "connecting" : "reconnecting");
      this.streams++;
      try {
        for await (const frame of this.source(this.cursor.toResume(), stream.signal)) {
          const next = this.handle(frame);
          if (next === "welcome") {
            attempt = 0;
            const interval = frame.frame.case === "welcome" ? frame.frame.value.heartbeatIntervalMs : 0;
            if (interval > 0 && heartbeat === undefined) {
              // Two failed heartbeats in a row: the network is gone even if the stream has not noticed.
              heartbeat = this.setTimer(() => {
                this.options.heartbeat().then(() => (failedHeartbeats = 0), () => {
                  if (++failedHeartbeats >= 2) {
                    stream.abort();
                  }
                });
              }, interval);
            }
          } else if (next === "gap") {
            reason = "a delivery skipped a seq";
            break;
          }
        }
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
        askedDelay = this.options.retryDelayMs?.(error) ?? 0;
        if (this.options.isFatal?.(error) === true && !stream.signal.aborted) {
          this.listener.state("stopped", reason);
          this.controller.abort();
        }
      } finally {
        stream.abort();
        stopped.removeEventListener("abort", onStop);
        if (heartbeat !== undefined) {
          this.clearTimer(heartbeat);
        }
      }
      if (stopped.aborted) {
        break;
      }
      this.listener.state("reconnecting", reason);
      this.wake = new AbortController();
      const wake = this.wake;
      const onStopWake = () => wake.abort();
      stopped.addEventListener("abort", onStopWake);
      // A refused stream (e.g. too many opened) says when to come back: never sooner, or each try is refused too.
      await this.sleep(Math.max(this.backoffMs(attempt++), askedDelay), wake.signal);
      stopped.removeEventListener("abort", onStopWake);
    }
    this.listener.state("stopped");
  }

  private handle(frame: ServerFrame): "welcome" | "gap" | "ok" {
    const f = frame.frame;
    switch (f.case) {
      case "welcome":
        this.listener.welcome(f.value);
        this.listener.state("catching-up");
        return "welcome";
      case "delivery": {
        const message = f.value.message;
        if (message === undefined) {
          return "ok";
        }
        const verdict = this.cursor.classify(message.conversationId, message.seq);
        if (verdict === "gap") {
          return "gap";
        }
        if (verdict === "next") {
          this.cursor.accept(message.conversationId, message.seq);
          this.options.persist();
          this.listener.message(message);
        }
        return "ok";
      }
      case "caughtUp":
        this.listener.state("live");
        return "ok";
      case "receipt":
        this.listener.receipt(f.value);
        return "ok";
      case "typing":
        this.listener.typing(f.value);
        return "ok";
      case "presence":
        this.listener.presence(f.value);
        return "ok";
      case "error":
        this.listener.streamError(f.value);
        return "ok";
      default:
        return "ok";
    }
  }
}
