import { Code, ConnectError } from "@connectrpc/connect";
import { connectApi, describeError, devToken, isRetryable, principalOf, type Api, type Principal } from "./api.js";
import { ChatState, type PendingSend } from "./chat-state.js";
import { DeviceCursor } from "./cursor.js";
import { newClientMessageId } from "./ids.js";
import { readNewestPage } from "./newest-page.js";
import { PresenceWatcher } from "./presence-watch.js";
import { retryDelayMs } from "./retry-delay.js";
import { ResumingSubscription } from "./subscription.js";
import { clearList, findElements, renderConversation, renderList, showConnection, showError, type Elements } from "./view.js";

const TOKEN_KEY = "messenger.token";
const PAGE_SIZE = 30;

/** One signed-in web device: its subscription, what it shows, and what the user does. */
class ChatApp {
  private readonly state: ChatState;
  private readonly cursor: DeviceCursor;
  private readonly cursorKey: string;
  private readonly subscription: ResumingSubscription;
  private readonly presence: PresenceWatcher;
  private readonly pendingAcks = new Map<string, bigint>();
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private renderQueued = false;
  private typingSentAt = 0;
  private typingStopTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: Api, private readonly me: Principal, private readonly ui: Elements) {
    this.state = new ChatState(me.userId);
    this.cursorKey = `messenger.cursor.${me.userId}.${me.deviceId}`;
    this.cursor = DeviceCursor.load(localStorage, this.cursorKey);
    this.presence = new PresenceWatcher(
      (userIds, signal) => api.presence.watchPresence({ userIds }, { signal }),
      (update) => {
        this.state.setPresence(update);
        this.render();
      });
    this.subscription = new ResumingSubscription(
      (resume, signal) => api.session.subscribe({ resume: { seqs: resume }, clientVersion: "web/0.1" }, { signal }),
      this.cursor,
      {
        state: (s, detail) => {
          showConnection(ui, s);
          if (s === "stopped" && detail !== undefined) {
            showError(ui, `Disconnected: ${detail}. Sign in again.`);
          }
        },
        welcome: () => undefined,
        message: (m) => {
          const known = this.state.conversations.has(m.conversationId);
          const fromOther = this.state.addDelivered(m);
          if (!known) {
            this.watchPeers();
          }
          this.queueAck(m.conversationId, m.seq);
          if (fromOther && this.state.openId === m.conversationId && document.visibilityState === "visible") {
            void this.markRead(m.conversationId);
          }
          this.render();
        },
        receipt: (r) => {
          this.state.receipt(r);
          this.render();
        },
        typing: (t) => {
          this.state.typing(t.conversationId, t.userId, t.typing, Date.now());
          this.render();
          setTimeout(() => this.render(), 10_500);
        },
        presence: (p) => {
          this.state.setPresence(p);
          this.render();
        },
        streamError: (e) => showError(ui, `${e.code}: ${e.message}`),
      },
      {
        heartbeat: async () => {
          await api.session.heartbeat({ clientTimeMs: BigInt(Date.now()) });
        },
        persist: () => this.cursor.save(localStorage, this.cursorKey),
        isFatal: (error) => {
          const code = ConnectError.from(error).code;
          return code === Code.Unauthenticated || code === Code.PermissionDenied;
        },
        retryDelayMs,
      });
    window.addEventListener("online", () => this.subscription.reconnectNow());
  }

  async start(): Promise<void> {
    this.ui.me.textContent = `${this.me.userId} (${this.me.deviceId})`;
    await this.loadConversations();
    this.subscription.start();
    this.watchPeers();
    this.render();
  }

  async stop(): Promise<void> {
    this.presence.stop();
    await this.subscription.stop();
  }

  /** The conversation list; conversations new to this device start at their end (history pages in). */
  private async loadConversations(): Promise<void> {
    let pageToken = "";
    for (let page = 0; page < 10; page++) {
      const response = await this.api.history.listConversations({ pageSize: 200, pageToken });
      for (const summary of response.conversations) {
        this.state.addSummary(summary);
        this.cursor.startAt(summary.conversationId, summary.lastSeq);
      }
      pageToken = response.nextPageToken;
      if (pageToken === "") {
        break;
      }
    }
    this.cursor.save(localStorage, this.cursorKey);
  }

  /** Watches the presence of everyone the conversation list shows. */
  private watchPeers(): void {
    this.presence.watch([...this.state.conversations.values()].map((c) => c.peer));
  }

  async open(conversationId: string): Promise<void> {
    this.state.openId = conversationId;
    const c = this.state.conversation(conversationId);
    this.watchPeers();
    this.render();
    if (!c.historyLoaded && c.lastSeq > 0n) {
      await readNewestPage(() => this.loadPage(conversationId, 0n),
        () => this.state.newestLoaded(conversationId) >= this.cursor.get(conversationId));
    }
    await this.markRead(conversationId);
    this.ui.scroller.scrollTop = this.ui.scroller.scrollHeight;
    this.ui.body.focus();
  }

  /** One page of history before {@code beforeSeq} (0: the newest page). */
  async loadPage(conversationId: string, beforeSeq: bigint): Promise<void> {
    try {
      const response = await this.api.history.getMessages({
        conversationId, anchor: { case: "beforeSeq", value: beforeSeq }, pageSize: PAGE_SIZE });
      const heightBefore = this.ui.scroller.scrollHeight;
      this.state.addPage(conversationId, response.messages, response.hasMore);
      this.renderNow();
      if (beforeSeq > 0n) {
        this.ui.scroller.scrollTop += this.ui.scroller.scrollHeight - heightBefore;
      }
    } catch (error) {
      showError(this.ui, describeError(error));
    }
  }

  async loadOlder(): Promise<void> {
    const id = this.state.openId;
    if (id !== undefined) {
      await this.loadPage(id, this.state.conversation(id).oldestLoaded);
    }
  }

  /**
   * Sends to a conversation (a 1:1 conversation with no message yet is created by naming the peer). Retries
   * after network failures carry the same client_message_id: the server answers a retry with the first ack.
   */
  async send(conversationId: string, body: string): Promise<void> {
    const c = this.state.conversation(conversationId);
    const pending: PendingSend = { clientMessageId: newClientMessageId(), body, state: "sending" };
    const target = c.lastSeq === 0n && c.peer !== ""
      ? { case: "toUserId" as const, value: c.peer }
      : { case: "conversationId" as const, value: conversationId };
    c.pending.push(pending);
    this.render();
    this.stopTyping();
    for (let attempt = 0; ; attempt++) {
      try {
        // Only the first try may skip the server's lookup of the id: a later one may follow a stored send.
        const ack = await this.api.session.send({
          clientMessageId: pending.clientMessageId, target, body, firstAttempt: attempt === 0,
        });
        pending.state = "sent";
        pending.seq = ack.seq;
        if (target.case === "toUserId") {
          this.presence.refresh(); // the peer shares a conversation with us now: their presence is visible
        }
        if (c.messages.has(ack.seq)) {
          c.pending = c.pending.filter((p) => p !== pending);
        }
        showError(this.ui, undefined);
        this.render();
        return;
      } catch (error) {
        if (isRetryable(error) && attempt < 8) {
          await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** Math.min(attempt, 4)));
          continue;
        }
        pending.state = "failed";
        pending.error = describeError(error);
        showError(this.ui, `Message not sent. ${describeError(error)}`);
        this.render();
        return;
      }
    }
  }

  /** Opens the 1:1 conversation with {@code user}, new or not. */
  async chatWith(user: string): Promise<void> {
    if (user === this.me.userId) {
      showError(this.ui, "You cannot open a conversation with yourself.");
      return;
    }
    const [a, b] = [this.me.userId, user].sort();
    await this.open(`dm:${a}:${b}`);
  }

  /** Called on input in the composer: tells the others, at most every 3 s, and stops after 5 s idle. */
  typing(): void {
    const id = this.state.openId;
    if (id === undefined) {
      return;
    }
    const now = Date.now();
    if (now - this.typingSentAt > 3_000) {
      this.typingSentAt = now;
      this.api.session.setTyping({ conversationId: id, typing: true }).catch(() => undefined);
    }
    clearTimeout(this.typingStopTimer);
    this.typingStopTimer = setTimeout(() => this.stopTyping(), 5_000);
  }

  private stopTyping(): void {
    clearTimeout(this.typingStopTimer);
    const id = this.state.openId;
    if (this.typingSentAt !== 0 && id !== undefined) {
      this.typingSentAt = 0;
      this.api.session.setTyping({ conversationId: id, typing: false }).catch(() => undefined);
    }
  }

  private async markRead(conversationId: string): Promise<void> {
    const upTo = this.state.readUpTo(conversationId);
    this.render();
    if (upTo !== undefined) {
      try {
        await this.api.session.markRead({ conversationId, upToSeq: upTo });
      } catch (error) {
        if (!isRetryable(error)) {
          showError(this.ui, describeError(error));
        }
      }
    }
  }

  /** Delivery acks, batched: one per conversation for whatever arrived in the last 200 ms. */
  private queueAck(conversationId: string, seq: bigint): void {
    this.pendingAcks.set(conversationId, seq);
    this.ackTimer ??= setTimeout(() => {
      this.ackTimer = undefined;
      const acks = [...this.pendingAcks];
      this.pendingAcks.clear();
      for (const [id, upTo] of acks) {
        this.api.session.ackDelivery({ conversationId: id, upToSeq: upTo }).catch((error: unknown) => {
          // Acks are cumulative: retry only when no newer one for the conversation is already queued.
          if (isRetryable(error) && !this.pendingAcks.has(id)) {
            this.queueAck(id, upTo);
          }
        });
      }
    }, 200);
  }

  render(): void {
    if (!this.renderQueued) {
      this.renderQueued = true;
      requestAnimationFrame(() => this.renderNow());
    }
  }

  private renderNow(): void {
    this.renderQueued = false;
    renderList(this.ui, this.state, (id) => void this.open(id));
    const open = this.state.openId === undefined ? undefined : this.state.conversation(this.state.openId);
    renderConversation(this.ui, this.state, open, Date.now(), (clientMessageId) => {
      if (open !== undefined) {
        open.pending = open.pending.filter((p) => p.clientMessageId !== clientMessageId);
        showError(this.ui, undefined);
        this.render();
      }
    });
  }

  get openConversation(): string | undefined {
    return this.state.openId;
  }
}

function boot(): void {
  const ui = findElements();
  const baseUrl = window.location.origin;
  let app: ChatApp | undefined;

  const signIn = async (token: string) => {
    const me = principalOf(token);
    if (me === undefined) {
      showError(ui, "That is not a messenger token.");
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    ui.signin.hidden = true;
    ui.chat.hidden = false;
    showError(ui, undefined);
    app = new ChatApp(connectApi(baseUrl, token), me, ui);
    try {
      await app.start();
    } catch (error) {
      showError(ui, describeError(error));
      if (ConnectError.from(error).code === Code.Unauthenticated) {
        await signOut();
      }
    }
  };
  const signOut = async () => {
    await app?.stop();
    app = undefined;
    sessionStorage.removeItem(TOKEN_KEY);
    clearList(ui);
    ui.chat.hidden = true;
    ui.signin.hidden = false;
  };

  document.getElementById("signin-dev")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const user = (document.getElementById("signin-user") as HTMLInputElement).value.trim();
    const device = (document.getElementById("signin-device") as HTMLInputElement).value.trim();
    devToken(baseUrl, user, device).then(signIn, (error: unknown) => showError(ui, String(error)));
  });
  document.getElementById("signin-token")?.addEventListener("submit", (event) => {
    event.preventDefault();
    void signIn((document.getElementById("signin-token-value") as HTMLTextAreaElement).value.trim());
  });
  document.getElementById("signout")?.addEventListener("click", () => void signOut());
  document.getElementById("new-chat")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("new-chat-user") as HTMLInputElement;
    const user = input.value.trim();
    input.value = "";
    void app?.chatWith(user);
  });
  document.getElementById("composer")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const id = app?.openConversation;
    const body = ui.body.value;
    if (app === undefined || id === undefined || body.length === 0) {
      return;
    }
    ui.body.value = "";
    void app.send(id, body);
  });
  ui.body.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      (document.getElementById("composer") as HTMLFormElement).requestSubmit();
    }
  });
  ui.body.addEventListener("input", () => app?.typing());
  ui.older.addEventListener("click", () => void app?.loadOlder());

  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved !== null) {
    void signIn(saved);
  }
}

boot();
