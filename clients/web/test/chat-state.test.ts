import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { MessageSchema, ReceiptKind, ReceiptSchema } from "../src/gen/messenger/v1/common_pb.js";
import { ChatState, peerOf } from "../src/chat-state.js";

const message = (seq: bigint, sender: string, clientMessageId = `c${seq}`) =>
  create(MessageSchema, { conversationId: "dm:alice:bob", seq, senderUserId: sender, clientMessageId, body: `m${seq}` });

describe("ChatState", () => {
  it("names the peer of a 1:1 conversation from either side", () => {
    assert.equal(peerOf("dm:alice:bob", "alice"), "bob");
    assert.equal(peerOf("dm:alice:bob", "bob"), "alice");
    assert.equal(peerOf("g:123", "bob"), "");
  });

  it("shows a message once whether it came from history, delivery or both, in seq order", () => {
    const state = new ChatState("bob");
    state.addDelivered(message(3n, "alice"));
    state.addPage("dm:alice:bob", [message(1n, "alice"), message(2n, "bob"), message(3n, "alice")], false);
    const c = state.conversation("dm:alice:bob");
    assert.deepEqual(state.ordered(c).map((m) => m.seq), [1n, 2n, 3n]);
    assert.equal(c.oldestLoaded, 1n);
  });

  it("knows the newest seq it has loaded of a conversation", () => {
    const state = new ChatState("bob");
    assert.equal(state.newestLoaded("dm:alice:bob"), 0n);
    state.addPage("dm:alice:bob", [message(30n, "alice"), message(31n, "alice")], true);
    assert.equal(state.newestLoaded("dm:alice:bob"), 31n);
    state.addDelivered(message(32n, "alice"));
    assert.equal(state.newestLoaded("dm:alice:bob"), 32n);
  });

  it("replaces my pending send by its delivery", () => {
    const state = new ChatState("alice");
    const c = state.conversation("dm:alice:bob");
    c.pending.push({ clientMessageId: "x1", body: "hi", state: "sent", seq: 1n });
    state.addDelivered(message(1n, "alice", "x1"));
    assert.equal(c.pending.length, 0);
    assert.equal(c.messages.size, 1);
  });

  it("counts unread messages of closed conversations only, and clears them on read", () => {
    const state = new ChatState("bob");
    state.addDelivered(message(1n, "alice"));
    state.addDelivered(message(2n, "alice"));
    state.addDelivered(message(3n, "bob"));
    const c = state.conversation("dm:alice:bob");
    assert.equal(c.unread, 2);
    assert.equal(state.readUpTo(c.id), 3n);
    assert.equal(c.unread, 0);
    state.openId = c.id;
    state.addDelivered(message(4n, "alice"));
    assert.equal(c.unread, 0);
  });

  it("ticks my messages from the peer's receipts; read implies delivered", () => {
    const state = new ChatState("alice");
    const c = state.conversation("dm:alice:bob");
    assert.equal(state.tick(c, 1n), "sent");
    state.receipt(create(ReceiptSchema, { conversationId: c.id, userId: "bob", kind: ReceiptKind.DELIVERED, upToSeq: 2n }));
    assert.equal(state.tick(c, 2n), "delivered");
    assert.equal(state.tick(c, 3n), "sent");
    state.receipt(create(ReceiptSchema, { conversationId: c.id, userId: "bob", kind: ReceiptKind.READ, upToSeq: 3n }));
    assert.equal(state.tick(c, 3n), "read");
    state.receipt(create(ReceiptSchema, { conversationId: c.id, userId: "bob", kind: ReceiptKind.DELIVERED, upToSeq: 1n }));
    assert.equal(state.tick(c, 3n), "read", "receipts never move backwards");
  });

  it("expires a typing indicator after 10 s without refresh", () => {
    const state = new ChatState("bob");
    state.typing("dm:alice:bob", "alice", true, 1_000);
    assert.deepEqual(state.typists("dm:alice:bob", 5_000), ["alice"]);
    assert.deepEqual(state.typists("dm:alice:bob", 11_001), []);
    state.typing("dm:alice:bob", "alice", true, 20_000);
    state.typing("dm:alice:bob", "alice", false, 21_000);
    assert.deepEqual(state.typists("dm:alice:bob", 21_000), []);
  });
});
