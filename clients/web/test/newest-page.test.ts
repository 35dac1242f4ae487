import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NEWEST_PAGE_ATTEMPTS, readNewestPage } from "../src/newest-page.js";

describe("readNewestPage", () => {
  it("reads again while History ends before what the device received, with growing pauses", async () => {
    const projected = [31n, 31n, 32n];
    let newest = 0n;
    const pauses: number[] = [];
    const caughtUp = await readNewestPage(
      async () => { newest = projected.shift() ?? newest; },
      () => newest >= 32n,
      async (ms) => { pauses.push(ms); });
    assert.equal(caughtUp, true);
    assert.equal(newest, 32n);
    assert.deepEqual(pauses, [50, 100]);
  });

  it("reads once when the page already has everything", async () => {
    let reads = 0;
    assert.equal(await readNewestPage(async () => { reads++; }, () => true, async () => {}), true);
    assert.equal(reads, 1);
  });

  it("gives up after a bounded number of reads", async () => {
    let reads = 0;
    const pauses: number[] = [];
    assert.equal(await readNewestPage(async () => { reads++; }, () => false, async (ms) => { pauses.push(ms); }), false);
    assert.equal(reads, NEWEST_PAGE_ATTEMPTS);
    assert.ok(pauses.every((ms) => ms <= 1000), pauses.join(","));
  });
});
