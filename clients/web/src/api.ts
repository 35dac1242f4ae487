import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { History } from "./gen/messenger/v1/history_pb.js";
import { Presence } from "./gen/messenger/v1/presence_pb.js";
import { Session } from "./gen/messenger/v1/session_pb.js";

/** The services the web app calls, all over grpc-web on one origin (the web gateway, or Envoy). */
export interface Api {
  session: Client<typeof Session>;
  history: Client<typeof History>;
  presence: Client<typeof Presence>;
}

export interface Principal {
  userId: string;
  deviceId: string;
}

export function connectApi(baseUrl: string, token: string): Api {
  const authorization: Interceptor = (next) => async (request) => {
    request.header.set("authorization", `Bearer ${token}`);
    return next(request);
  };
  const transport = createGrpcWebTransport({ baseUrl, useBinaryFormat: true, interceptors: [authorization] });
  return {
    session: createClient(Session, transport),
    history: createClient(History, transport),
    presence: createClient(Presence, transport),
  };
}

/** The user and device a token names (read, not verified: the server verifies every call). */
export function principalOf(token: string): Principal | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) {
    return undefined;
  }
  try {
    const json: unknown = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    if (typeof json === "object" && json !== null && "sub" in json && "dev" in json &&
        typeof json.sub === "string" && typeof json.dev === "string") {
      return { userId: json.sub, deviceId: json.dev };
    }
  } catch {
    // not a token of ours
  }
  return undefined;
}

/** A development token from the gateway (only offered while the development signing key is in use). */
export async function devToken(baseUrl: string, user: string, device: string): Promise<string> {
  const query = new URLSearchParams({ user, device });
  const response = await fetch(`${baseUrl}/dev/token?${query.toString()}`, { method: "POST" });
  if (!response.ok) {
    throw new Error(response.status === 404
      ? "this server does not mint development tokens; paste a token instead"
      : await response.text());
  }
  const body: unknown = await response.json();
  if (typeof body === "object" && body !== null && "token" in body && typeof body.token === "string") {
    return body.token;
  }
  throw new Error("unexpected answer from /dev/token");
}

/** True for failures worth retrying with the same request (idempotent calls only). */
export function isRetryable(error: unknown): boolean {
  const code = ConnectError.from(error).code;
  return code === Code.Unavailable || code === Code.DeadlineExceeded || code === Code.Unknown ||
      code === Code.Aborted;
}

/** What the user is told about a failed call: the status and the server's own words. */
export function describeError(error: unknown): string {
  const e = ConnectError.from(error);
  return `${Code[e.code] ?? "Error"}: ${e.rawMessage}`;
}
