package dev.messenger.loadgen.plan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one 1:1 message costs the shared infrastructure on its way through our path, counted from the
 * router and session code and confirmed by the router's and session server's CQL metrics: CQL rows written
 * and NATS messages published. These are the figures at low per-conversation rates, where the router
 * commits one message per batch and every device acknowledges each delivery on its own; bursts in one
 * conversation share some of these writes.
 *
 * <p>On the acknowledgement path: the log row (a plain write with the shard's epoch as timestamp) and a read
 * of the shard's epoch after it, which every write of the shard that completed meanwhile shares; a resend
 * (not a device's first attempt) also reads its client message id before. Everything else is the asynchronous projection. Not counted,
 * because they are not per message: the 1:1 conversation's row (on its first send through a router), the
 * projection mark (once an hour per active conversation) and the epoch claim (once per shard takeover, the
 * only conditional write).
 *
 * @param devicesPerUser devices of each member (each acknowledges deliveries; only the recipient's acks are
 *     recorded, acks of one's own messages are dropped)
 */
public record WritePath(int devicesPerUser) {
  public WritePath {
    if (devicesPerUser < 1) {
      throw new IllegalArgumentException("devices per user must be at least 1");
    }
  }

  /** CQL rows one message writes, by table. */
  public Map<String, Integer> rowBreakdown() {
    Map<String, Integer> rows = new LinkedHashMap<>();
    rows.put("conversation_log (the commit, before the acknowledgement)", 1);
    rows.put("client_message_ids (projection)", 1);
    rows.put("user_messages (projection, one copy per member)", 2);
    rows.put("user_conversations last message (projection, per member)", 2);
    rows.put("user_conversations sender's read marker (projection)", 1);
    rows.put("user_changes (projection, per member: what catch-up examines)", 2);
    rows.put("conversations projected_seq (projection checkpoint)", 1);
    rows.put("device_cursors (one delivery ack per device of the recipient)", devicesPerUser);
    rows.put("group_receipts (the recipient's watermark, with each recorded ack, same request)", devicesPerUser);
    return rows;
  }

  public int rows() {
    return rowBreakdown().values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Rows written with a lightweight transaction (Paxos) per message: none (only a takeover claims). */
  public int conditionalRows() {
    return 0;
  }

  /** CQL reads on the acknowledgement path of a first attempt: at most one shared epoch read. */
  public int acknowledgementReads() {
    return 1;
  }

  /** NATS messages one message causes, by kind. */
  public Map<String, Integer> natsBreakdown() {
    Map<String, Integer> messages = new LinkedHashMap<>();
    messages.put("submit request (session to router)", 1);
    messages.put("submit reply (router to session)", 1);
    messages.put("message event (one per member's subject)", 2);
    messages.put("projected notice (one per member's subject)", 2);
    messages.put("delivered receipt (one per recipient device's ack, to the sender)", devicesPerUser);
    return messages;
  }

  public int natsMessages() {
    return natsBreakdown().values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Frames the session servers write to devices: the deliveries plus the receipts they cause. */
  public int framesToDevices() {
    int devices = 2 * devicesPerUser;
    return devices + devicesPerUser * devicesPerUser;
  }

  /**
   * Messages per second the CQL store allows, as the issue defines the bound: plain inserts per second
   * divided by the rows one message writes.
   */
  public double cqlBound(double insertsPerSecond) {
    return insertsPerSecond / rows();
  }

  /** The same bound, counting the conditional row at the measured LWT rate instead of a plain insert's. */
  public double cqlBoundWithLwt(double insertsPerSecond, double lwtPerSecond) {
    if (insertsPerSecond <= 0 || lwtPerSecond <= 0) {
      return 0;
    }
    return 1.0 / (conditionalRows() / lwtPerSecond + (rows() - conditionalRows()) / insertsPerSecond);
  }
}
