import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeviceCursor, type KeyValueStore } from "../src/cursor.js";

class MemoryStore implements KeyValueStore {
  readonly values = new Map<string, string>();
  getItem(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.values.set(key, value);
  }
}

describe("DeviceCursor", () => {
  it("takes only the next seq of each conversation", () => {
    const cursor = new DeviceCursor();
    assert.equal(cursor.accept("dm:a:b", 1n), true);
    assert.equal(cursor.accept("dm:a:b", 1n), false, "a duplicate is refused");
    assert.equal(cursor.accept("dm:a:b", 3n), false, "a seq beyond a gap is refused");
    assert.equal(cursor.get("dm:a:b"), 1n, "a refused seq leaves the cursor where it was");
    assert.equal(cursor.accept("dm:a:b", 2n), true);
    assert.equal(cursor.accept("dm:a:c", 1n), true, "conversations are independent");
    assert.deepEqual(cursor.toResume(), { "dm:a:b": 2n, "dm:a:c": 1n });
  });

  it("classifies deliveries as next, duplicate or gap", () => {
    const cursor = new DeviceCursor({ c: 5n });
    assert.equal(cursor.classify("c", 6n), "next");
    assert.equal(cursor.classify("c", 5n), "duplicate");
    assert.equal(cursor.classify("c", 2n), "duplicate");
    assert.equal(cursor.classify("c", 8n), "gap");
    assert.equal(cursor.classify("new", 1n), "next");
    assert.equal(cursor.classify("new", 71n), "next", "an unknown conversation starts at its latest page");
  });

  it("survives a reload through the store, with seqs beyond 2^53", () => {
    const store = new MemoryStore();
    const cursor = new DeviceCursor({ big: 9_007_199_254_740_993n });
    cursor.accept("dm:a:b", 1n);
    cursor.save(store, "k");
    const loaded = DeviceCursor.load(store, "k");
    assert.deepEqual(loaded.toResume(), { big: 9_007_199_254_740_993n, "dm:a:b": 1n });
  });

  it("starts from nothing when the stored value is missing or damaged", () => {
    const store = new MemoryStore();
    assert.deepEqual(DeviceCursor.load(store, "absent").toResume(), {});
    store.setItem("k", "{not json");
    assert.deepEqual(DeviceCursor.load(store, "k").toResume(), {});
    store.setItem("k", JSON.stringify({ ok: "4", bad: "-1", worse: 3 }));
    assert.deepEqual(DeviceCursor.load(store, "k").toResume(), { ok: 4n });
  });

  it("starts a new conversation at its end but never moves a known one", () => {
    const cursor = new DeviceCursor({ known: 3n });
    cursor.startAt("known", 10n);
    cursor.startAt("fresh", 10n);
    assert.equal(cursor.get("known"), 3n);
    assert.equal(cursor.get("fresh"), 10n);
  });
});
