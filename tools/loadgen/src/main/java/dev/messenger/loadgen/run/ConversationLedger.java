package dev.messenger.loadgen.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bookkeeping of one conversation: every send of its participating devices (by per-sender sequence
 * number) and, per receiving device, which of them arrived. Participants are the admitted (connected)
 * devices of both members; each of them expects every acknowledged message, its own included.
 * Thread-safe: senders and receivers call in from many client threads.
 */
public final class ConversationLedger {
  /** What a delivery turned out to be. */
  public enum Verdict {
    /** The first arrival of this message at this device. */
    FIRST,
    /** The first arrival at this device, which was the last participant without it. */
    FIRST_AT_LAST_PARTICIPANT,
    /** The device already had this message. */
    DUPLICATE,
    /** No send of this run explains it (unknown device or sequence number). */
    FOREIGN
  }

  private static final byte PENDING = 0;
  private static final byte ACKED = 1;
  private static final byte FAILED = 2;
  private static final byte NOT_SENT = 3;

  private final String id;
  private final int[] participants;
  private final SenderLog[] senders;
  private final BitSet[][] received;
  private final int[][] highestSenderSeq;
  private final long[] lastConversationSeq;
  private long duplicated;
  private long outOfOrder;
  private long foreign;

  /** {@code participants}: device indexes of every admitted device of every member. */
  public ConversationLedger(String id, int[] participants) {
    this.id = id;
    this.participants = participants.clone();
    Arrays.sort(this.participants);
    int p = this.participants.length;
    this.senders = new SenderLog[p];
    this.received = new BitSet[p][p];
    this.highestSenderSeq = new int[p][p];
    this.lastConversationSeq = new long[p];
    for (int i = 0; i < p; i++) {
      senders[i] = new SenderLog();
      for (int j = 0; j < p; j++) {
        received[i][j] = new BitSet();
      }
    }
  }

  public String id() {
    return id;
  }

  /** The participant slot of a device, or -1 when it does not take part. */
  public int slotOf(int device) {
    int slot = Arrays.binarySearch(participants, device);
    return slot < 0 ? -1 : slot;
  }

  public int participantCount() {
    return participants.length;
  }

  /** Registers a scheduled send of the device in slot {@code sender}; returns its sequence number (from 1). */
  public synchronized int schedule(int sender) {
    return senders[sender].add();
  }

  public synchronized void notSent(int sender, int seq) {
    senders[sender].state[seq] = NOT_SENT;
  }

  public synchronized void acked(int sender, int seq) {
    acked(sender, seq, 0);
  }

  /** An acknowledgement that gave the message's place in the conversation (0 when unknown). */
  public synchronized void acked(int sender, int seq, long conversationSeq) {
    senders[sender].state[seq] = ACKED;
    senders[sender].conversationSeq[seq] = conversationSeq;
  }

  /** A send was rejected for good. An ack that came first wins (the message is stored). */
  public synchronized void failed(int sender, int seq) {
    if (senders[sender].state[seq] == PENDING) {
      senders[sender].state[seq] = FAILED;
    }
  }

  /**
   * A delivery of sender slot {@code sender}'s message {@code senderSeq}, with conversation seq
   * {@code conversationSeq}, to the device in slot {@code receiver}.
   */
  public synchronized Verdict delivered(int receiver, int sender, int senderSeq, long conversationSeq) {
    if (receiver < 0 || sender < 0 || senderSeq < 1 || senderSeq > senders[sender].count) {
      foreign++;
      return Verdict.FOREIGN;
    }
    BitSet got = received[receiver][sender];
    boolean orderBroken = conversationSeq <= lastConversationSeq[receiver];
    lastConversationSeq[receiver] = Math.max(lastConversationSeq[receiver], conversationSeq);
    if (got.get(senderSeq)) {
      duplicated++;
      return Verdict.DUPLICATE;
    }
    got.set(senderSeq);
    if (senderSeq < highestSenderSeq[receiver][sender]) {
      orderBroken = true;
    }
    highestSenderSeq[receiver][sender] = Math.max(highestSenderSeq[receiver][sender], senderSeq);
    if (orderBroken) {
      outOfOrder++;
    }
    return senders[sender].arrived(senderSeq) == participants.length
        ? Verdict.FIRST_AT_LAST_PARTICIPANT : Verdict.FIRST;
  }

  /** Counts everything as it stands now. */
  public synchronized Tally tally() {
    long scheduled = 0;
    long notSent = 0;
    long acked = 0;
    long failed = 0;
    long deliveredOfAcked = 0;
    long lost = 0;
    long lostMessages = 0;
    long lostBehind = 0;
    long delivered = 0;
    int p = participants.length;
    for (int s = 0; s < p; s++) {
      SenderLog log = senders[s];
      scheduled += log.count;
      for (int seq = 1; seq <= log.count; seq++) {
        byte state = log.state[seq];
        if (state == NOT_SENT) {
          notSent++;
        } else if (state == FAILED) {
          failed++;
        } else if (state == ACKED) {
          acked++;
          int missing = 0;
          for (int r = 0; r < p; r++) {
            if (!received[r][s].get(seq)) {
              missing++;
              if (lastConversationSeq[r] < log.conversationSeq[seq]) {
                lostBehind++;
              }
            }
          }
          deliveredOfAcked += p - missing;
          lost += missing;
          lostMessages += missing > 0 ? 1 : 0;
        }
      }
      for (int r = 0; r < p; r++) {
        delivered += received[r][s].cardinality();
      }
    }
    return new Tally(scheduled, notSent, scheduled - notSent, acked, failed, acked * p, delivered,
        deliveredOfAcked, lost, lostMessages, lostBehind, lost, duplicated, outOfOrder, foreign);
  }

  /** The acknowledged messages, as (sending device, sender sequence number). */
  public synchronized List<MessageKey> ackedMessages() {
    List<MessageKey> keys = new ArrayList<>();
    for (int s = 0; s < participants.length; s++) {
      for (int seq = 1; seq <= senders[s].count; seq++) {
        if (senders[s].state[seq] == ACKED) {
          keys.add(new MessageKey(participants[s], seq));
        }
      }
    }
    return keys;
  }

  /** The acknowledged messages, each with the seq its acknowledgement gave (0 when it gave none). */
  public synchronized Map<MessageKey, Long> ackedPlaces() {
    Map<MessageKey, Long> places = new LinkedHashMap<>();
    for (int s = 0; s < participants.length; s++) {
      for (int seq = 1; seq <= senders[s].count; seq++) {
        if (senders[s].state[seq] == ACKED) {
          places.put(new MessageKey(participants[s], seq), senders[s].conversationSeq[seq]);
        }
      }
    }
    return places;
  }

  /** Acknowledged messages some device never received, at most {@code limit}, as they stand now. */
  public synchronized List<Missing> missing(int limit) {
    List<Missing> out = new ArrayList<>();
    for (int s = 0; s < participants.length; s++) {
      SenderLog log = senders[s];
      for (int seq = 1; seq <= log.count; seq++) {
        if (log.state[seq] != ACKED) {
          continue;
        }
        for (int r = 0; r < participants.length && out.size() < limit; r++) {
          if (!received[r][s].get(seq)) {
            out.add(new Missing(id, log.conversationSeq[seq], participants[s], participants[r], lastConversationSeq[r]));
          }
        }
      }
    }
    return out;
  }

  /**
   * One acknowledged message a device never received: its conversation and seq, the sending and receiving
   * devices, and the highest seq of the conversation the receiver did get.
   */
  public record Missing(String conversationId, long seq, int senderDevice, int receiverDevice, long receiverNewestSeq) {}

  /** Identifies a message of a run: its sending device and that device's sequence number in the conversation. */
  public record MessageKey(int senderDevice, int senderSeq) {}

  /** One device's sends in this conversation; index = sequence number (slot 0 unused). */
  private static final class SenderLog {
    byte[] state = new byte[8];
    /** The conversation seq each acknowledgement gave. */
    long[] conversationSeq = new long[8];
    /** First arrivals at participants, by sequence number. */
    int[] arrivals = new int[8];
    int count;

    int add() {
      int seq = ++count;
      if (seq >= state.length) {
        state = Arrays.copyOf(state, state.length * 2);
        arrivals = Arrays.copyOf(arrivals, state.length);
        conversationSeq = Arrays.copyOf(conversationSeq, state.length);
      }
      return seq;
    }

    /** Counts a first arrival of message {@code seq}; returns how many participants have it now. */
    int arrived(int seq) {
      return ++arrivals[seq];
    }
  }
}
