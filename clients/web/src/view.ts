import type { ChatState, Conversation } from "./chat-state.js";
import type { ConnectionState } from "./subscription.js";

/** The page's elements; index.html holds them, the view only fills them in. */
export interface Elements {
  error: HTMLElement;
  signin: HTMLElement;
  chat: HTMLElement;
  me: HTMLElement;
  connection: HTMLElement;
  conversations: HTMLUListElement;
  conversation: HTMLElement;
  peerPresence: HTMLElement;
  peerName: HTMLElement;
  peerLastSeen: HTMLElement;
  scroller: HTMLElement;
  older: HTMLButtonElement;
  messages: HTMLOListElement;
  typing: HTMLElement;
  body: HTMLTextAreaElement;
}

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) {
    throw new Error(`#${id} missing from the page`);
  }
  return element as T;
}

export function findElements(): Elements {
  return {
    error: byId("error"),
    signin: byId("signin"),
    chat: byId("chat"),
    me: byId("me"),
    connection: byId("connection"),
    conversations: byId("conversations"),
    conversation: byId("conversation"),
    peerPresence: byId("peer-presence"),
    peerName: byId("peer-name"),
    peerLastSeen: byId("peer-last-seen"),
    scroller: byId("scroller"),
    older: byId("older"),
    messages: byId("messages"),
    typing: byId("typing"),
    body: byId("body"),
  };
}

function el(tag: string, className: string, text?: string): HTMLElement {
  const element = document.createElement(tag);
  if (className) {
    element.className = className;
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
}

function time(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function lastSeenText(state: ChatState, user: string): string {
  const presence = state.presence.get(user);
  if (presence === undefined) {
    return "";
  }
  if (presence.online) {
    return "online";
  }
  return presence.lastSeenMs > 0 ? `last seen ${new Date(presence.lastSeenMs).toLocaleString()}` : "offline";
}

function presenceOf(state: ChatState, user: string): string {
  const presence = state.presence.get(user);
  return presence === undefined ? "unknown" : presence.online ? "online" : "offline";
}

export function showError(elements: Elements, message: string | undefined): void {
  elements.error.hidden = message === undefined;
  elements.error.textContent = message ?? "";
}

export function showConnection(elements: Elements, state: ConnectionState): void {
  elements.connection.dataset.state = state;
  elements.connection.textContent = state === "catching-up" ? "catching up" : state;
}

interface ListRow {
  item: HTMLLIElement;
  dot: HTMLElement;
  name: HTMLElement;
  unread: HTMLElement;
  preview: HTMLElement;
}

/** List rows by conversation id: updated in place, so a row never vanishes under the user's pointer. */
const listRows = new Map<string, ListRow>();
let openConversation: (id: string) => void = () => undefined;

function listRow(id: string): ListRow {
  let row = listRows.get(id);
  if (row === undefined) {
    const item = el("li", "") as HTMLLIElement;
    item.dataset.conversation = id;
    const button = el("button", "") as HTMLButtonElement;
    button.type = "button";
    button.addEventListener("click", () => openConversation(id));
    row = { item, dot: el("span", "dot"), name: el("strong", "name"), unread: el("span", "unread"),
      preview: el("span", "preview") };
    button.append(row.dot, row.name, row.unread, row.preview);
    item.append(button);
    listRows.set(id, row);
  }
  return row;
}

/** Empties the list (sign-out). */
export function clearList(elements: Elements): void {
  listRows.clear();
  elements.conversations.replaceChildren();
}

export function renderList(elements: Elements, state: ChatState, open: (id: string) => void): void {
  openConversation = open;
  const conversations = state.list();
  conversations.forEach((c, index) => {
    const row = listRow(c.id);
    row.item.setAttribute("aria-current", String(state.openId === c.id));
    row.dot.dataset.presence = presenceOf(state, c.peer);
    row.dot.setAttribute("aria-label", lastSeenText(state, c.peer) || "presence unknown");
    row.name.textContent = c.title || c.peer || c.id;
    row.unread.textContent = c.unread > 0 ? String(c.unread) : "";
    row.unread.hidden = c.unread === 0;
    row.unread.setAttribute("aria-label", `${c.unread} unread`);
    row.preview.textContent = c.lastMessage?.body.slice(0, 120) ?? "";
    if (elements.conversations.children[index] !== row.item) {
      elements.conversations.insertBefore(row.item, elements.conversations.children[index] ?? null);
    }
  });
  while (elements.conversations.children.length > conversations.length) {
    elements.conversations.lastElementChild?.remove();
  }
}

export function renderConversation(elements: Elements, state: ChatState, c: Conversation | undefined,
    nowMs: number, dismiss: (clientMessageId: string) => void): void {
  elements.conversation.hidden = c === undefined;
  if (c === undefined) {
    return;
  }
  elements.peerName.textContent = c.title || c.peer || c.id;
  elements.peerPresence.dataset.presence = presenceOf(state, c.peer);
  elements.peerLastSeen.textContent = lastSeenText(state, c.peer);
  elements.older.hidden = !c.hasOlder;
  const nearBottom = elements.scroller.scrollHeight - elements.scroller.scrollTop - elements.scroller.clientHeight < 80;
  const rows: HTMLElement[] = state.ordered(c).map((m) => {
    const mine = m.senderUserId === state.me;
    const row = el("li", mine ? "mine" : "theirs");
    row.dataset.seq = m.seq.toString();
    row.dataset.sender = m.senderUserId;
    row.append(el("span", "body", m.body));
    const meta = el("span", "meta", time(Number(m.serverTimeMs)));
    if (mine) {
      meta.append(" ", tick(state.tick(c, m.seq)));
    }
    row.append(meta);
    return row;
  });
  for (const p of c.pending) {
    const row = el("li", "mine pending");
    row.dataset.clientId = p.clientMessageId;
    const limit = p.state === "failed" ? 280 : 2_000;
    row.append(el("span", "body", p.body.length > limit ? `${p.body.slice(0, limit)}…` : p.body));
    const meta = el("span", "meta");
    meta.append(tick(p.state));
    if (p.error !== undefined) {
      meta.append(` ${p.error} `);
      const button = el("button", "dismiss", "Dismiss") as HTMLButtonElement;
      button.type = "button";
      button.addEventListener("click", () => dismiss(p.clientMessageId));
      meta.append(button);
    }
    row.append(meta);
    rows.push(row);
  }
  elements.messages.replaceChildren(...rows);
  const typists = state.typists(c.id, nowMs);
  elements.typing.textContent = typists.length === 0 ? "" : `${typists.join(", ")} ${typists.length === 1 ? "is" : "are"} typing…`;
  if (nearBottom) {
    elements.scroller.scrollTop = elements.scroller.scrollHeight;
  }
}

function tick(state: string): HTMLElement {
  const symbols: Record<string, string> = { sending: "🕓", sent: "✓", delivered: "✓✓", read: "✓✓", failed: "⚠" };
  const span = el("span", "tick", symbols[state] ?? "");
  span.dataset.state = state;
  span.setAttribute("aria-label", state);
  span.title = state;
  return span;
}
