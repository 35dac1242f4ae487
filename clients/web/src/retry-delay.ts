import { fromBinary } from "@bufbuild/protobuf";
import { DurationSchema } from "@bufbuild/protobuf/wkt";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { ConnectError } from "@connectrpc/connect";

const RETRY_INFO = "google.rpc.RetryInfo";

/**
 * The server's google.rpc.RetryInfo delay of a failed call in milliseconds (a rate limit or overload says how
 * long to stay away), or undefined when it gave none. RetryInfo has one field, retry_delay (1), a Duration;
 * it is read off the wire here so the app needs no googleapis types.
 */
export function retryDelayMs(error: unknown): number | undefined {
  for (const detail of ConnectError.from(error).details) {
    if (!("type" in detail) || detail.type !== RETRY_INFO || !(detail.value instanceof Uint8Array)) {
      continue;
    }
    try {
      const reader = new BinaryReader(detail.value);
      while (reader.pos < reader.len) {
        const [field, wireType] = reader.tag();
        if (field === 1 && wireType === WireType.LengthDelimited) {
          const delay = fromBinary(DurationSchema, reader.bytes());
          return Number(delay.seconds) * 1000 + Math.ceil(delay.nanos / 1_000_000);
        }
        reader.skip(wireType);
      }
    } catch {
      // a detail that does not parse gives no delay
    }
  }
  return undefined;
}
