/**
 * The presence service: who is online, told to the people who care. Design and bounds are in
 * {@code services/presence/README.md}; in short:
 *
 * <ul>
 *   <li>Users are spread over a fixed number of partitions ({@code PresencePartitions}); each partition is
 *       served by one presence instance, chosen by rendezvous hashing over the instances registered in etcd
 *       and held by a lease-bound claim key ({@code cluster.PartitionOwnership}).
 *   <li>Session servers report streams and watches on the partition's NATS subject through
 *       {@code client.PresenceReporter}, and report everything again every refresh interval: all they say
 *       is soft state that expires unless repeated, so a new owner rebuilds it and nothing depends on a
 *       live session server to be cleared. A session server's etcd key going drops its streams at once.
 *   <li>{@code PresenceTable} turns stream liveness into published changes: online after a short delay,
 *       offline after the grace period, flaps in between coalesced away.
 *   <li>What watchers were last told is durable in CQL ({@code store.PresenceStore}), with the users shown
 *       online per partition, so a new owner takes offline those whose streams nobody reports any more.
 *   <li>{@code ChangePublisher} writes each change, then sends one {@code UserEvent{presence}} to each
 *       watcher's user subject: contacts (1:1 peers) and explicit watchers, none while the user hides.
 * </ul>
 */
package dev.messenger.presence;
