/**
 * History serves what is projected, and the projection follows a commit by some milliseconds. A message the
 * device received live just before a reload is past its cursor, which survives the reload, so the stream will
 * not send it again; if the newest page was read before that message was projected, the page would end
 * without it until the next message. So the newest page is read again, a few times with growing pauses,
 * while it ends before what the device already received.
 */
export const NEWEST_PAGE_ATTEMPTS = 8;
const FIRST_PAUSE_MS = 50;
const MAX_PAUSE_MS = 1000;

/**
 * Calls {@code read} until {@code caughtUp()} or {@link NEWEST_PAGE_ATTEMPTS} reads; true when it caught up.
 * {@code pause} waits between reads (a timer in the app, nothing in tests).
 */
export async function readNewestPage(
  read: () => Promise<void>,
  caughtUp: () => boolean,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<boolean> {
  let wait = FIRST_PAUSE_MS;
  for (let attempt = 1; ; attempt++) {
    await read();
    if (caughtUp()) {
      return true;
    }
    if (attempt >= NEWEST_PAGE_ATTEMPTS) {
      return false;
    }
    await pause(wait);
    wait = Math.min(MAX_PAUSE_MS, wait * 2);
  }
}
