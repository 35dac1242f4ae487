package dev.messenger.common.etcd;

import dev.messenger.common.Subjects;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Session servers and routers map a conversation to a shard by the shard count: with two counts in one
 * deployment a conversation has two shards, two sequencers and two orders. The first of them to start
 * records its count at {@code /<ns>/config/shards} (created only if absent, never under a lease); every
 * later one compares and refuses to start on a mismatch.
 */
public final class ShardCountAgreement {
  private ShardCountAgreement() {}

  /** The key holding the deployment's shard count. */
  public static String key(Subjects subjects) {
    return subjects.etcdPrefix("config") + "shards";
  }

  /**
   * Records {@code shards} when no count is recorded yet, else checks it equals the recorded one.
   *
   * @param who names the starting process in the error, e.g. {@code session server s-1}
   * @throws IllegalStateException on a mismatch (naming both counts) or when etcd does not answer
   */
  public static void agree(Client etcd, Subjects subjects, int shards, String who) {
    String key = key(subjects);
    ByteSequence keyBytes = bytes(key);
    TxnResponse response;
    try {
      response = etcd.getKVClient().txn()
          .If(new Cmp(keyBytes, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
          .Then(Op.put(keyBytes, bytes(Integer.toString(shards)), PutOption.DEFAULT))
          .Else(Op.get(keyBytes, GetOption.DEFAULT))
          .commit()
          .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the shard count at " + key, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot check the shard count at " + key + " in etcd", e);
    }
    if (response.isSucceeded()) {
      return;
    }
    List<KeyValue> kvs = response.getGetResponses().get(0).getKvs();
    String recorded = kvs.isEmpty() ? "(deleted)" : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
    if (!recorded.equals(Integer.toString(shards))) {
      throw new IllegalStateException(who + " is configured with " + shards + " shards but this deployment uses "
          + recorded + " (recorded at " + key + "): every session server and router must use the same shard "
          + "count (--shards / MESSENGER_SHARDS), or conversations would be sequenced by two routers");
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
