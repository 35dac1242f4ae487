package dev.messenger.presence;

/** One explicit watch: a watcher's stream on some server. */
record WatchKey(String watcherUserId, String serverId, String streamId) {}
