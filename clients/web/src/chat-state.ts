import type { Message, PresenceUpdate, Receipt } from "./gen/messenger/v1/common_pb.js";
import { PresenceState, ReceiptKind } from "./gen/messenger/v1/common_pb.js";
import type { ConversationSummary } from "./gen/messenger/v1/history_pb.js";

/** A message of mine that the server has not delivered back yet. */
export interface PendingSend {
  clientMessageId: string;
  body: string;
  state: "sending" | "sent" | "failed";
  seq?: bigint;
  error?: string;
}

export interface Conversation {
  id: string;
  peer: string;
  title: string;
  lastSeq: bigint;
  lastMessage?: Message;
  /** Messages loaded for display, by seq; paged in from history and added by deliveries. */
  messages: Map<bigint, Message>;
  /** Lowest seq loaded; 0 when nothing is loaded yet. */
  oldestLoaded: bigint;
  hasOlder: boolean;
  historyLoaded: boolean;
  unread: number;
  /** My read marker. */
  readSeq: bigint;
  /** The other members' receipts: highest seq delivered to / read by any of them. */
  peerDelivered: bigint;
  peerRead: bigint;
  pending: PendingSend[];
  /** Who is typing, until when (ms since epoch). */
  typingUntil: Map<string, number>;
}

export interface Presence {
  online: boolean;
  lastSeenMs: number;
}

export type Tick = "sending" | "sent" | "delivered" | "read" | "failed";

/** The peer of a 1:1 conversation id "dm:<a>:<b>" as seen by {@code me}; empty for groups. */
export function peerOf(conversationId: string, me: string): string {
  const parts = conversationId.split(":");
  if (parts.length !== 3 || parts[0] !== "dm") {
    return "";
  }
  return parts[1] === me ? (parts[2] ?? "") : (parts[1] ?? "");
}

/** Everything the app shows, updated by deliveries, receipts and history pages; no DOM here. */
export class ChatState {
  readonly conversations = new Map<string, Conversation>();
  readonly presence = new Map<string, Presence>();
  openId: string | undefined;

  constructor(readonly me: string) {}

  conversation(id: string): Conversation {
    let conversation = this.conversations.get(id);
    if (conversation === undefined) {
      conversation = {
        id,
        peer: peerOf(id, this.me),
        title: "",
        lastSeq: 0n,
        messages: new Map(),
        oldestLoaded: 0n,
        hasOlder: false,
        historyLoaded: false,
        unread: 0,
        readSeq: 0n,
        peerDelivered: 0n,
        peerRead: 0n,
        pending: [],
        typingUntil: new Map(),
      };
      this.conversations.set(id, conversation);
    }
    return conversation;
  }

  addSummary(summary: ConversationSummary): void {
    const c = this.conversation(summary.conversationId);
    c.peer = summary.peerUserId || c.peer;
    c.title = summary.title;
    if (summary.lastSeq >= c.lastSeq) {
      c.lastSeq = summary.lastSeq;
      c.lastMessage = summary.lastMessage ?? c.lastMessage;
    }
    c.readSeq = summary.readSeq > c.readSeq ? summary.readSeq : c.readSeq;
    c.unread = Number(summary.unreadCount);
  }

  /** A delivered message (each exactly once, in order). True when it is from someone else. */
  addDelivered(message: Message): boolean {
    const c = this.conversation(message.conversationId);
    this.remember(c, message);
    const fromOther = message.senderUserId !== this.me;
    if (fromOther) {
      c.typingUntil.delete(message.senderUserId);
      if (this.openId !== c.id && message.seq > c.readSeq) {
        c.unread++;
      }
    } else {
      c.pending = c.pending.filter((p) => p.clientMessageId !== message.clientMessageId);
    }
    return fromOther;
  }

  /** A page of history (ascending seq). */
  addPage(conversationId: string, messages: Message[], hasOlder: boolean): void {
    const c = this.conversation(conversationId);
    for (const message of messages) {
      this.remember(c, message);
      c.pending = c.pending.filter((p) => p.clientMessageId !== message.clientMessageId ||
          message.senderUserId !== this.me);
    }
    const first = messages[0];
    if (first !== undefined && (c.oldestLoaded === 0n || first.seq < c.oldestLoaded)) {
      c.oldestLoaded = first.seq;
    }
    c.hasOlder = hasOlder;
    c.historyLoaded = true;
  }

  /** The highest seq of the conversation's loaded messages; 0 when none. */
  newestLoaded(conversationId: string): bigint {
    let newest = 0n;
    for (const seq of this.conversation(conversationId).messages.keys()) {
      if (seq > newest) {
        newest = seq;
      }
    }
    return newest;
  }

  receipt(receipt: Receipt): void {
    const c = this.conversation(receipt.conversationId);
    if (receipt.userId === this.me) {
      if (receipt.kind === ReceiptKind.READ && receipt.upToSeq > c.readSeq) {
        c.readSeq = receipt.upToSeq;
        if (c.readSeq >= c.lastSeq) {
          c.unread = 0;
        }
      }
      return;
    }
    if (receipt.kind === ReceiptKind.READ) {
      c.peerRead = receipt.upToSeq > c.peerRead ? receipt.upToSeq : c.peerRead;
    }
    // A read message has been delivered too.
    c.peerDelivered = receipt.upToSeq > c.peerDelivered ? receipt.upToSeq : c.peerDelivered;
  }

  typing(conversationId: string, userId: string, typing: boolean, nowMs: number): void {
    const c = this.conversation(conversationId);
    if (typing) {
      c.typingUntil.set(userId, nowMs + 10_000);
    } else {
      c.typingUntil.delete(userId);
    }
  }

  /** Users typing in the conversation now. */
  typists(conversationId: string, nowMs: number): string[] {
    const c = this.conversations.get(conversationId);
    if (c === undefined) {
      return [];
    }
    return [...c.typingUntil].filter(([, until]) => until > nowMs).map(([user]) => user);
  }

  setPresence(update: PresenceUpdate): void {
    this.presence.set(update.userId, {
      online: update.state === PresenceState.ONLINE,
      lastSeenMs: Number(update.lastSeenMs),
    });
  }

  /** Marks everything loaded in the open conversation read; returns the seq to report, if it moved. */
  readUpTo(conversationId: string): bigint | undefined {
    const c = this.conversation(conversationId);
    c.unread = 0;
    if (c.lastSeq > c.readSeq) {
      c.readSeq = c.lastSeq;
      return c.lastSeq;
    }
    return undefined;
  }

  /** The state of one of my messages for its ticks. */
  tick(c: Conversation, seq: bigint): Tick {
    if (c.peerRead >= seq) {
      return "read";
    }
    return c.peerDelivered >= seq ? "delivered" : "sent";
  }

  /** The loaded messages of a conversation in seq order. */
  ordered(c: Conversation): Message[] {
    return [...c.messages.values()].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  }

  /** Conversations, most recently active first. */
  list(): Conversation[] {
    const time = (c: Conversation) => Number(c.lastMessage?.serverTimeMs ?? 0n);
    return [...this.conversations.values()].sort((a, b) => time(b) - time(a) || a.id.localeCompare(b.id));
  }

  private remember(c: Conversation, message: Message): void {
    c.messages.set(message.seq, message);
    if (message.seq >= c.lastSeq) {
      c.lastSeq = message.seq;
      c.lastMessage = message;
    }
  }
}
