import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { DurationSchema } from "@bufbuild/protobuf/wkt";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { Code, ConnectError } from "@connectrpc/connect";
import { retryDelayMs } from "../src/retry-delay.js";

/** RetryInfo{retry_delay} as the server sends it inside grpc-status-details-bin. */
function retryInfo(seconds: bigint, nanos: number): Uint8Array {
  const delay = toBinary(DurationSchema, create(DurationSchema, { seconds, nanos }));
  return new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(delay).finish();
}

/** An error as connect-web makes it from the wire: details as type names and bytes. */
function refusal(code: Code, details: Array<{ type: string; value: Uint8Array }>): ConnectError {
  const error = new ConnectError("refused", code);
  (error.details as unknown as Array<{ type: string; value: Uint8Array }>).push(...details);
  return error;
}

describe("retryDelayMs", () => {
  it("reads the RetryInfo delay of a refusal, rounded up to whole milliseconds", () => {
    const error = refusal(Code.ResourceExhausted, [
      { type: "google.rpc.ErrorInfo", value: new Uint8Array([10, 3, 65, 66, 67]) },
      { type: "google.rpc.RetryInfo", value: retryInfo(1n, 250_000_001) },
    ]);
    assert.equal(retryDelayMs(error), 1_251);
  });

  it("gives no delay when the error carries none or it does not parse", () => {
    assert.equal(retryDelayMs(new ConnectError("gone", Code.Unavailable)), undefined);
    assert.equal(retryDelayMs(new Error("network error")), undefined);
    const broken = refusal(Code.ResourceExhausted, [{ type: "google.rpc.RetryInfo", value: new Uint8Array([10, 9, 1]) }]);
    assert.equal(retryDelayMs(broken), undefined);
  });
});
