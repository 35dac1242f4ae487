package dev.messenger.loadgen.run;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** One simulated user: id, devices, and the 1:1 contacts it writes to. Only the pacer thread sends. */
final class SimUser {
  private final int globalIndex;
  private final String id;
  private final List<SimDevice> devices = new ArrayList<>();
  private List<SimDevice> senders = List.of();
  private List<Contact> contacts = List.of();
  private volatile Group group;
  private int nextSender;

  SimUser(int globalIndex, String id) {
    this.globalIndex = globalIndex;
    this.id = id;
  }

  int globalIndex() {
    return globalIndex;
  }

  String id() {
    return id;
  }

  List<SimDevice> devices() {
    return devices;
  }

  void addDevice(SimDevice device) {
    devices.add(device);
  }

  /** After the ramp: the devices that connected send, and these are the conversations. */
  void admit(List<SimDevice> connected, List<Contact> contacts) {
    this.senders = List.copyOf(connected);
    this.contacts = List.copyOf(contacts);
  }

  boolean canSend() {
    return !senders.isEmpty() && !contacts.isEmpty();
  }

  /** The next sending device, round robin over the connected ones. */
  SimDevice nextSender() {
    SimDevice device = senders.get(nextSender);
    nextSender = (nextSender + 1) % senders.size();
    return device;
  }

  Contact pickContact(SplittableRandom random) {
    return contacts.size() == 1 ? contacts.get(0) : contacts.get(random.nextInt(contacts.size()));
  }

  /** The group this user posts to, if any. */
  Group group() {
    return group;
  }

  void joinGroup(Group group) {
    this.group = group;
  }

  /** A group conversation and its bookkeeping. */
  record Group(String conversationId, ConversationLedger ledger) {}

  /** A peer this user writes to, and the bookkeeping of their 1:1 conversation. */
  record Contact(String peerId, ConversationLedger ledger) {}
}
