package dev.messenger.presence;

/** One stream, named by the server holding it and that server's stream id. */
record StreamRef(String serverId, String streamId) {}
