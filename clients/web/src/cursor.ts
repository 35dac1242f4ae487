/** Where a value survives a page reload: localStorage in the browser, a Map in tests. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** What a delivered message means for the cursor. */
export type Verdict = "next" | "duplicate" | "gap";

/**
 * The device's cursor: for each conversation, the highest seq this device has received in order without
 * gaps. It is sent back on every (re)subscription, so the server delivers exactly what is missing, and it
 * decides whether a delivery is the next message, one already seen, or one beyond a gap.
 */
export class DeviceCursor {
  private readonly seqs = new Map<string, bigint>();

  constructor(initial: Record<string, bigint> = {}) {
    for (const [conversation, seq] of Object.entries(initial)) {
      this.seqs.set(conversation, seq);
    }
  }

  /** The cursor saved under {@code key}, or an empty one. Unreadable data counts as empty. */
  static load(store: KeyValueStore, key: string): DeviceCursor {
    const raw = store.getItem(key);
    if (raw === null) {
      return new DeviceCursor();
    }
    try {
      const parsed: unknown = JSON.parse(raw);
      const cursor = new DeviceCursor();
      if (typeof parsed === "object" && parsed !== null) {
        for (const [conversation, seq] of Object.entries(parsed)) {
          if (typeof seq === "string" && /^[0-9]+$/.test(seq)) {
            cursor.seqs.set(conversation, BigInt(seq));
          }
        }
      }
      return cursor;
    } catch {
      return new DeviceCursor();
    }
  }

  save(store: KeyValueStore, key: string): void {
    const plain: Record<string, string> = {};
    for (const [conversation, seq] of this.seqs) {
      plain[conversation] = seq.toString();
    }
    store.setItem(key, JSON.stringify(plain));
  }

  /** Highest seq received of the conversation; 0 when none. */
  get(conversationId: string): bigint {
    return this.seqs.get(conversationId) ?? 0n;
  }

  has(conversationId: string): boolean {
    return this.seqs.has(conversationId);
  }

  /**
   * A conversation this device has nothing of may begin at any seq: this cursor never sends a sync time,
   * so the server starts such a conversation at its latest page (older pages come through History).
   */
  classify(conversationId: string, seq: bigint): Verdict {
    if (!this.seqs.has(conversationId)) {
      return "next";
    }
    const current = this.get(conversationId);
    if (seq <= current) {
      return "duplicate";
    }
    return seq === current + 1n ? "next" : "gap";
  }

  /**
   * Takes a delivery: true when it is the next message (the cursor moves to it), false when it was seen
   * already or lies beyond a gap (the cursor stays; the caller resubscribes to fill the gap).
   */
  accept(conversationId: string, seq: bigint): boolean {
    if (this.classify(conversationId, seq) !== "next") {
      return false;
    }
    this.seqs.set(conversationId, seq);
    return true;
  }

  /**
   * Starts a conversation this device has never received at {@code seq}, so that catch-up does not replay
   * its whole history (the view pages history in instead). A conversation already known is left alone.
   */
  startAt(conversationId: string, seq: bigint): void {
    if (!this.seqs.has(conversationId)) {
      this.seqs.set(conversationId, seq);
    }
  }

  /** The resume map for SubscribeRequest.resume. */
  toResume(): Record<string, bigint> {
    return Object.fromEntries(this.seqs);
  }
}
