/**
 * What session servers use to feed presence: {@link dev.messenger.presence.client.PresenceReporter}, and
 * {@link dev.messenger.presence.client.PresencePartitions}, the user-to-partition map both sides share.
 */
package dev.messenger.presence.client;
