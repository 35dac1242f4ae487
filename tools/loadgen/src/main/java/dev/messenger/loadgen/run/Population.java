package dev.messenger.loadgen.run;

import dev.messenger.common.ConversationIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The simulated users and devices of one process (one shard of the run). User ids carry the run id, so
 * every run starts with empty conversations: nothing from an earlier run is caught up or counted.
 */
final class Population {
  private final Scenario scenario;
  private final List<SimUser> users;
  private final List<SimDevice> devices;

  private Population(Scenario scenario, List<SimUser> users, List<SimDevice> devices) {
    this.scenario = scenario;
    this.users = users;
    this.devices = devices;
  }

  static String userId(String runId, int globalIndex) {
    return "lg-" + runId + "-u" + globalIndex;
  }

  static Population create(Scenario scenario, Shard shard, String runId, RunBooks books) {
    int first = shard.firstUser(scenario.users());
    int end = shard.endUser(scenario.users());
    List<SimUser> users = new ArrayList<>();
    List<SimDevice> devices = new ArrayList<>();
    for (int u = first; u < end; u++) {
      SimUser user = new SimUser(u, userId(runId, u));
      for (int d = 0; d < scenario.devicesPerUser(); d++) {
        SimDevice device = new SimDevice(devices.size(), user, "d" + d, books);
        user.addDevice(device);
        devices.add(device);
      }
      users.add(user);
    }
    return new Population(scenario, List.copyOf(users), List.copyOf(devices));
  }

  /** Creates a group conversation of an owner and members; answers its conversation id. */
  interface GroupCreator {
    String create(String ownerId, List<String> memberIds, String requestId);
  }

  /**
   * After {@link #admit}: splits the users into groups ({@link GroupPlan}), creates them, and returns the
   * ledger with one more conversation per group (its participants: the connected devices of its members).
   */
  Ledger admitGroups(Ledger direct, GroupCreator creator, String requestPrefix) {
    if (scenario.groupShare() <= 0) {
      return direct;
    }
    List<ConversationLedger> all = new ArrayList<>(direct.conversations());
    List<int[]> blocks = GroupPlan.blocks(users.size(), scenario.groupSizes());
    for (int b = 0; b < blocks.size(); b++) {
      List<SimUser> members = users.subList(blocks.get(b)[0], blocks.get(b)[1]);
      String id = creator.create(members.get(0).id(),
          members.subList(1, members.size()).stream().map(SimUser::id).toList(), requestPrefix + "-g" + b);
      int[] participants = members.stream().flatMap(u -> u.devices().stream())
          .filter(SimDevice::caughtUpOnce).mapToInt(SimDevice::index).toArray();
      ConversationLedger ledger = new ConversationLedger(id, participants);
      all.add(ledger);
      members.forEach(u -> u.joinGroup(new SimUser.Group(id, ledger)));
    }
    return new Ledger(all);
  }

  List<SimUser> users() {
    return users;
  }

  List<SimDevice> devices() {
    return devices;
  }

  /**
   * After the ramp: the devices that connected take part; builds one ledger per conversation (its
   * participants are the connected devices of both members) and gives each user its contacts.
   */
  Ledger admit() {
    Map<Integer, List<SimDevice>> connected = new HashMap<>();
    for (int i = 0; i < users.size(); i++) {
      connected.put(i, users.get(i).devices().stream().filter(SimDevice::caughtUpOnce).toList());
    }
    Map<String, ConversationLedger> ledgers = new HashMap<>();
    List<ConversationLedger> ordered = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      SimUser user = users.get(i);
      List<SimUser.Contact> contacts = new ArrayList<>();
      for (int peer : Contacts.of(i, users.size(), scenario.contactsPerUser())) {
        SimUser other = users.get(peer);
        String id = ConversationIds.direct(user.id(), other.id());
        ConversationLedger ledger = ledgers.get(id);
        if (ledger == null) {
          int[] participants = IntStream.concat(
              connected.get(i).stream().mapToInt(SimDevice::index),
              connected.get(peer).stream().mapToInt(SimDevice::index)).toArray();
          ledger = new ConversationLedger(id, participants);
          ledgers.put(id, ledger);
          ordered.add(ledger);
        }
        contacts.add(new SimUser.Contact(other.id(), ledger));
      }
      user.admit(connected.get(i), contacts);
    }
    return new Ledger(ordered);
  }
}
