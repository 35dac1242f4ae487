// The web app's flows in a real headless Chromium (Debian's), driven by puppeteer-core. Started by the
// system test WebChatIT, which runs the services and the web gateway and passes:
//   WEB_URL, ALICE_TOKEN, BOB_TOKEN, CHROMIUM (executable), OUT_DIR (screenshots)
// It prints "E2E CUT" when the network should be cut: the test stops the gateway, sends messages as Bob's
// phone and answers "CUT DONE" on stdin; once both pages show that they lost the stream the script prints
// "E2E RESTORE", and the test starts the gateway again and answers "RESTORED". Last line: "E2E PASS".
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const WEB_URL = env("WEB_URL");
const OUT_DIR = env("OUT_DIR");
const WAIT = { timeout: 30_000 };
const stdin = createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => stdin.once("line", resolve));
const step = (text) => console.log(`E2E step: ${text}`);
async function expectLine(expected) {
  const line = await nextLine();
  if (line !== expected) {
    throw new Error(`expected ${expected} from the test, got ${line}`);
  }
}

/** The delivered (not pending) messages of the open conversation, as the page shows them. */
const shown = (page) => page.$$eval("#messages li[data-seq]", (rows) =>
  rows.map((r) => ({ seq: Number(r.dataset.seq), sender: r.dataset.sender, body: r.querySelector(".body").textContent })));

/** Waits until the open conversation's bodies end with {@code bodies}, in that order. */
async function waitForBodies(page, bodies) {
  await page.waitForFunction((expected) => {
    const got = [...document.querySelectorAll("#messages li[data-seq] .body")].map((b) => b.textContent);
    return expected.every((body, i) => got[got.length - expected.length + i] === body);
  }, WAIT, bodies);
}

/** Every message once, in seq order, without gaps. */
async function assertOnceInOrder(page, who) {
  const messages = await shown(page);
  const seqs = messages.map((m) => m.seq);
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i] !== seqs[i - 1] + 1) {
      throw new Error(`${who}: seqs not consecutive: ${seqs.join(",")}`);
    }
  }
  const bodies = messages.map((m) => m.body);
  if (new Set(bodies).size !== bodies.length) {
    throw new Error(`${who}: a message is shown twice: ${bodies.join(" | ")}`);
  }
  return messages;
}

/** Clicks at once, in the page: the app re-renders often, and a two-step click could miss its element. */
async function click(page, selector) {
  await page.waitForSelector(selector, WAIT);
  await page.$eval(selector, (element) => element.click());
}

async function signIn(page, token) {
  await page.goto(WEB_URL);
  await page.waitForSelector("#signin-token-value", { visible: true });
  await page.$eval("#signin-token-value", (el, t) => { el.value = t; }, token);
  await click(page, "#signin-token button[type=submit]");
  await page.waitForSelector('#connection[data-state="live"]', WAIT);
}

async function send(page, body) {
  await page.$eval("#body", (el, b) => { el.value = b; }, body);
  await click(page, "#composer button[type=submit]");
}

/** Sends and waits for the message to come back delivered (it has a seq then). */
async function sendAndWait(page, body) {
  await send(page, body);
  await waitForBodies(page, [body]);
}

const profile = mkdtempSync(join(tmpdir(), "messenger-chromium-"));
const browser = await puppeteer.launch({
  executablePath: env("CHROMIUM"),
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", `--user-data-dir=${profile}`],
});
let alice;
let bob;
try {
  alice = await (await browser.createBrowserContext()).newPage();
  bob = await (await browser.createBrowserContext()).newPage();
  for (const page of [alice, bob]) {
    await page.setViewport({ width: 1000, height: 700 });
    page.on("pageerror", (e) => console.log(`E2E page error: ${e.message}`));
  }

  step("both sign in with their tokens");
  await signIn(alice, env("ALICE_TOKEN"));
  await signIn(bob, env("BOB_TOKEN"));

  step("alice opens a chat with bob and says hello");
  await alice.type("#new-chat-user", "bob");
  await alice.keyboard.press("Enter");
  await alice.waitForSelector("#conversation:not([hidden])");
  await sendAndWait(alice, "hello bob");

  step("bob sees the conversation with one unread message, opens it, and reads it");
  await bob.waitForFunction(() => {
    const badge = document.querySelector('#conversations li[data-conversation="dm:alice:bob"] .unread');
    return badge !== null && badge.textContent === "1";
  }, WAIT);
  await click(bob, '#conversations li[data-conversation="dm:alice:bob"] button');
  await waitForBodies(bob, ["hello bob"]);

  step("alice sees the read tick");
  await alice.waitForSelector('#messages li[data-seq="1"] .tick[data-state="read"]', WAIT);

  step("bob types: alice sees it; then bob answers");
  await bob.type("#body", "hi al");
  await alice.waitForFunction(() => document.querySelector("#typing").textContent.includes("bob is typing"), WAIT);
  await bob.type("#body", "ice");
  await bob.keyboard.press("Enter");
  await waitForBodies(alice, ["hello bob", "hi alice"]);
  await alice.waitForFunction(() => document.querySelector("#typing").textContent === "", WAIT);

  step("each sees the other online");
  await alice.waitForSelector('#peer-presence[data-presence="online"]', WAIT);
  await bob.waitForSelector('#peer-presence[data-presence="online"]', WAIT);

  step("a message of 100,001 characters is refused and the user is told");
  await send(alice, "x".repeat(100_001));
  await alice.waitForFunction(() => {
    const error = document.querySelector("#error");
    return !error.hidden && error.textContent.includes("InvalidArgument") && error.textContent.includes("100000");
  }, WAIT);
  await alice.waitForSelector('#messages li.pending .tick[data-state="failed"]', WAIT);
  await click(alice, "#messages li.pending button.dismiss");
  await alice.waitForFunction(() => document.querySelector("#messages li.pending") === null, WAIT);
  await sendAndWait(alice, "after the error");
  await alice.waitForFunction(() => document.querySelector("#error").hidden, WAIT);

  step("alice sends 32 more messages, one after the other");
  const numbered = Array.from({ length: 32 }, (_, i) => `n${String(i + 1).padStart(2, "0")}`);
  for (const body of numbered) {
    await sendAndWait(alice, body);
  }
  const expected = ["hello bob", "hi alice", "after the error", ...numbered];
  await waitForBodies(bob, numbered.slice(-3));

  step("bob reloads: the newest page, then older pages, in order");
  await bob.reload();
  await bob.waitForSelector('#connection[data-state="live"]', WAIT);
  await click(bob, '#conversations li[data-conversation="dm:alice:bob"] button');
  await waitForBodies(bob, numbered.slice(-30));
  await bob.waitForSelector("#older:not([hidden])", WAIT);
  await click(bob, "#older");
  await bob.waitForFunction(() => document.querySelector("#messages li[data-seq] .body")?.textContent === "hello bob", WAIT);
  const history = await assertOnceInOrder(bob, "bob after reload");
  if (JSON.stringify(history.map((m) => m.body)) !== JSON.stringify(expected)) {
    throw new Error(`bob's history after reload: ${history.map((m) => m.body).join(" | ")}`);
  }

  step("the network is cut (gateway stopped); bob's phone sends meanwhile; pages resume");
  console.log("E2E CUT");
  await expectLine("CUT DONE");
  for (const page of [alice, bob]) {
    await page.waitForSelector('#connection[data-state="reconnecting"]', WAIT);
  }
  console.log("E2E RESTORE");
  await expectLine("RESTORED");
  const away = ["away 1", "away 2", "away 3"];
  await waitForBodies(alice, [...numbered.slice(-2), ...away]);
  await waitForBodies(bob, [...numbered.slice(-2), ...away]);
  await alice.waitForSelector('#connection[data-state="live"]', WAIT);
  for (const [page, who] of [[alice, "alice"], [bob, "bob"]]) {
    const after = await assertOnceInOrder(page, `${who} after the cut`);
    if (after.filter((m) => m.body.startsWith("away ")).length !== 3) {
      throw new Error(`${who} shows the messages sent during the cut other than once each`);
    }
  }
  step("presence heals after the cut: each sees the other online again");
  await alice.waitForSelector('#peer-presence[data-presence="online"]', WAIT);
  await bob.waitForSelector('#peer-presence[data-presence="online"]', WAIT);
  await alice.screenshot({ path: join(OUT_DIR, "web-chat.png") });

  step("alice goes away: bob sees her offline with a last-seen time");
  await alice.browserContext().close();
  alice = undefined;
  await bob.waitForSelector('#peer-presence[data-presence="offline"]', WAIT);
  await bob.waitForFunction(() => document.querySelector("#peer-last-seen").textContent.startsWith("last seen"), WAIT);
  console.log("E2E PASS");
} catch (error) {
  console.log(`E2E FAIL ${error.stack ?? error}`);
  for (const [page, name] of [[alice, "alice"], [bob, "bob"]]) {
    await page?.screenshot({ path: join(OUT_DIR, `failure-${name}.png`) }).catch(() => undefined);
  }
  process.exitCode = 1;
} finally {
  stdin.close();
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
