/**
 * The write path's CQL side: the per-conversation log and its seal ({@link dev.messenger.router.log.MessageLog}),
 * the shard epochs that fence it, the projection marks that repair starts from, and the projection's writes
 * into what readers use ({@link dev.messenger.router.log.ProjectionWriter}). The tables and their schema are
 * the history module's, which reads them.
 */
package dev.messenger.router.log;
