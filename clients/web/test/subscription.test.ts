import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import type { Message } from "../src/gen/messenger/v1/common_pb.js";
import { MessageSchema } from "../src/gen/messenger/v1/common_pb.js";
import { ServerFrameSchema, type ServerFrame } from "../src/gen/messenger/v1/session_pb.js";
import { DeviceCursor } from "../src/cursor.js";
import { ResumingSubscription, type ConnectionState, type FrameSource } from "../src/subscription.js";

const welcome = (): ServerFrame =>
  create(ServerFrameSchema, { frame: { case: "welcome", value: { heartbeatIntervalMs: 15_000 } } });
const caughtUp = (): ServerFrame => create(ServerFrameSchema, { frame: { case: "caughtUp", value: {} } });
const delivery = (conversationId: string, seq: bigint): ServerFrame =>
  create(ServerFrameSchema, {
    frame: { case: "delivery", value: { message: create(MessageSchema, { conversationId, seq, body: `m${seq}` }) } },
  });

/** A server that plays one script per stream and records the resume map of each subscription. */
const HANG = "hang" as const;

function scriptedServer(scripts: Array<Array<ServerFrame | Error | typeof HANG>>): { source: FrameSource; resumes: Array<Record<string, bigint>> } {
  const resumes: Array<Record<string, bigint>> = [];
  const source: FrameSource = (resume, signal) => {
    resumes.push({ ...resume });
    const script = scripts.shift();
    return (async function* () {
      if (script === undefined) {
        // the last stream stays open until the subscription stops
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
        return;
      }
      for (const item of script) {
        if (item === HANG) {
          // a stream the network silently dropped: nothing arrives until the client gives up on it
          await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
          return;
        }
        if (item instanceof Error) {
          throw item;
        }
        yield item;
      }
    })();
  };
  return { source, resumes };
}

function run(scripts: Array<Array<ServerFrame | Error>>, cursor = new DeviceCursor()) {
  const server = scriptedServer(scripts);
  const received: Message[] = [];
  const states: ConnectionState[] = [];
  let persisted = 0;
  let idle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (idle = resolve));
  const subscription = new ResumingSubscription(server.source, cursor, {
    state: (s) => states.push(s),
    welcome: () => undefined,
    message: (m) => received.push(m),
    receipt: () => undefined,
    typing: () => undefined,
    presence: () => undefined,
    streamError: () => undefined,
  }, {
    heartbeat: async () => undefined,
    persist: () => persisted++,
    backoffMs: () => 0,
    sleep: async () => {
      if (server.resumes.length > scripts.length + 10) {
        throw new Error("reconnect loop");
      }
    },
    setInterval: () => 1,
    clearInterval: () => undefined,
  });
  // Each stream is consumed in microtasks; once every script is played the last stream idles.
  const done = async () => {
    while (scripts.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
    idle();
  };
  subscription.start();
  void done();
  return { subscription, received, states, resumes: server.resumes, settled, cursor, persisted: () => persisted };
}

describe("ResumingSubscription", () => {
  it("resumes from the cursor after the network drops, so nothing is lost or doubled", async () => {
    const r = run([
      [welcome(), caughtUp(), delivery("c", 1n), delivery("c", 2n), new Error("network error")],
      // the server replays from the cursor; an overlap (2) must not show twice
      [welcome(), delivery("c", 2n), delivery("c", 3n), caughtUp(), delivery("c", 4n)],
    ]);
    await r.settled;
    await r.subscription.stop();
    assert.deepEqual(r.received.map((m) => m.seq), [1n, 2n, 3n, 4n]);
    assert.deepEqual(r.resumes, [{}, { c: 2n }, { c: 4n }]);
    assert.equal(r.cursor.get("c"), 4n);
    assert.equal(r.persisted(), 4, "the cursor is saved after every new message");
    assert.ok(r.states.includes("reconnecting"));
    assert.equal(r.states.at(-1), "stopped");
  });

  it("restarts from the cursor when a delivery skips a seq, which fills the gap", async () => {
    const r = run([
      [welcome(), delivery("c", 1n), delivery("c", 3n), delivery("c", 4n)],
      [welcome(), delivery("c", 2n), delivery("c", 3n), delivery("c", 4n), caughtUp()],
    ]);
    await r.settled;
    await r.subscription.stop();
    assert.deepEqual(r.received.map((m) => m.seq), [1n, 2n, 3n, 4n]);
    assert.deepEqual(r.resumes.slice(0, 2), [{}, { c: 1n }]);
  });

  it("keeps conversations apart and starts from a stored cursor", async () => {
    const r = run([
      [welcome(), delivery("a", 6n), delivery("b", 1n), delivery("a", 7n), caughtUp()],
    ], new DeviceCursor({ a: 5n }));
    await r.settled;
    await r.subscription.stop();
    assert.deepEqual(r.resumes[0], { a: 5n });
    assert.deepEqual(r.received.map((m) => `${m.conversationId}${m.seq}`), ["a6", "b1", "a7"]);
  });

  it("reconnects after a stream that ends without an error", async () => {
    const r = run([
      [welcome(), delivery("c", 1n)],
      [welcome(), delivery("c", 2n)],
    ]);
    await r.settled;
    await r.subscription.stop();
    assert.deepEqual(r.received.map((m) => m.seq), [1n, 2n]);
    assert.equal(r.subscription.streamsOpened, 3);
  });

  it("gives up on a stream after two failed heartbeats and resumes on a new one", async () => {
    const server = scriptedServer([[welcome(), delivery("c", 1n), HANG], [welcome(), delivery("c", 2n)]]);
    const received: bigint[] = [];
    let beat: () => void = () => undefined;
    const subscription = new ResumingSubscription(server.source, new DeviceCursor(), {
      state: () => undefined, welcome: () => undefined, message: (m) => received.push(m.seq),
      receipt: () => undefined, typing: () => undefined, presence: () => undefined, streamError: () => undefined,
    }, {
      heartbeat: () => Promise.reject(new Error("offline")),
      persist: () => undefined,
      backoffMs: () => 0,
      sleep: async () => undefined,
      setInterval: (fn) => {
        beat = fn;
        return 1;
      },
      clearInterval: () => undefined,
    });
    subscription.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(received, [1n]);
    assert.equal(server.resumes.length, 1, "one failed heartbeat is not enough");
    beat();
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(server.resumes.length, 1);
    beat();
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(server.resumes.slice(0, 2), [{}, { c: 1n }]);
    assert.deepEqual(received, [1n, 2n]);
    await subscription.stop();
  });

  it("stops for good on a fatal error such as an expired token", async () => {
    const fatal = new Error("unauthenticated");
    const server = scriptedServer([[fatal], [welcome()]]);
    const states: string[] = [];
    const subscription = new ResumingSubscription(server.source, new DeviceCursor(), {
      state: (s, detail) => states.push(detail === undefined ? s : `${s}: ${detail}`), welcome: () => undefined,
      message: () => undefined, receipt: () => undefined, typing: () => undefined, presence: () => undefined,
      streamError: () => undefined,
    }, { heartbeat: async () => undefined, persist: () => undefined, isFatal: (e) => e === fatal, backoffMs: () => 0 });
    subscription.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await subscription.stop();
    assert.equal(server.resumes.length, 1, "no reconnect after a fatal error");
    assert.deepEqual(states, ["connecting", "stopped: unauthenticated", "stopped"]);
  });

  it("reconnects at once when told the network is back, without waiting out the backoff", async () => {
    const server = scriptedServer([[welcome(), new Error("network error")], [welcome(), delivery("c", 1n)]]);
    const received: bigint[] = [];
    const subscription = new ResumingSubscription(server.source, new DeviceCursor(), {
      state: () => undefined, welcome: () => undefined, message: (m) => received.push(m.seq),
      receipt: () => undefined, typing: () => undefined, presence: () => undefined, streamError: () => undefined,
    }, { heartbeat: async () => undefined, persist: () => undefined, backoffMs: () => 3_600_000 });
    subscription.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(server.resumes.length, 1, "waiting an hour before the next try");
    subscription.reconnectNow();
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(received, [1n]);
    await subscription.stop();
  });

  it("waits at least the delay a refused stream asked for before opening the next", async () => {
    const refused = new Error("too many streams opened");
    const server = scriptedServer([[refused], [welcome(), delivery("c", 1n), HANG]]);
    const waits: number[] = [];
    const subscription = new ResumingSubscription(server.source, new DeviceCursor(), {
      state: () => undefined, welcome: () => undefined, message: () => undefined,
      receipt: () => undefined, typing: () => undefined, presence: () => undefined, streamError: () => undefined,
    }, {
      heartbeat: async () => undefined, persist: () => undefined, backoffMs: () => 250,
      retryDelayMs: (error) => (error === refused ? 1_700 : undefined),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    subscription.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await subscription.stop();
    assert.equal(waits[0], 1_700, "the server's delay, not the 250 ms backoff");
    assert.equal(server.resumes.length, 2);
  });
});
