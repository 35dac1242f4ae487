package dev.messenger.push.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import dev.messenger.api.v1.ApnsEnvironment;
import dev.messenger.api.v1.PushPlatform;
import dev.messenger.common.cql.AsyncRows;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@code push_devices} table: one registration per (user, device). */
public final class DeviceRegistry {
  /** Partition keys per {@code IN} read: well under the stores' warnings, few requests for a large group. */
  static final int USERS_PER_READ = 100;
  private final CqlSession session;
  private final PushStoreConfig config;
  private final PreparedStatement upsert;
  private final PreparedStatement delete;
  private final PreparedStatement deleteIfUnchanged;
  private final PreparedStatement selectUser;
  private final PreparedStatement selectDevice;
  private final PreparedStatement selectUsers;

  public DeviceRegistry(CqlSession session, PushStoreConfig config) {
    this.session = session;
    this.config = config;
    String table = config.table("push_devices");
    String columns = "user_id, device_id, platform, apns_environment, device_token, app_id, registered_ms";
    this.upsert = session.prepare("INSERT INTO " + table + " (" + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.delete = session.prepare("DELETE FROM " + table + " WHERE user_id = ? AND device_id = ?");
    this.deleteIfUnchanged = session.prepare("DELETE FROM " + table
        + " WHERE user_id = ? AND device_id = ? IF device_token = ? AND registered_ms = ?");
    this.selectUser = session.prepare("SELECT " + columns + " FROM " + table + " WHERE user_id = ?");
    this.selectDevice =
        session.prepare("SELECT " + columns + " FROM " + table + " WHERE user_id = ? AND device_id = ?");
    this.selectUsers = session.prepare("SELECT " + columns + " FROM " + table + " WHERE user_id IN ?");
  }

  /** Stores the registration, replacing any earlier one of the device. */
  public CompletionStage<Void> register(DeviceRegistration device) {
    return run(upsert.bind(device.userId(), device.deviceId(), device.platform().getNumber(),
        device.apnsEnvironment().getNumber(), device.token(), device.appId(), device.registeredMs()));
  }

  public CompletionStage<Void> unregister(String userId, String deviceId) {
    return run(delete.bind(userId, deviceId));
  }

  /**
   * Removes the registration a provider rejected, unless the device registered again since: true if it was
   * removed.
   */
  public CompletionStage<Boolean> removeIfUnchanged(DeviceRegistration rejected) {
    Statement<?> statement = deleteIfUnchanged
        .bind(rejected.userId(), rejected.deviceId(), rejected.token(), rejected.registeredMs())
        .setConsistencyLevel(config.consistency());
    return session.executeAsync(statement).thenApply(AsyncResultSet::wasApplied);
  }

  /** Every registered device of the user. */
  public CompletionStage<List<DeviceRegistration>> devices(String userId) {
    return session.executeAsync(read(selectUser.bind(userId))).thenApply(rs -> {
      List<DeviceRegistration> devices = new ArrayList<>();
      for (Row row : rs.currentPage()) {
        devices.add(toRegistration(row));
      }
      if (rs.hasMorePages()) {
        throw new IllegalStateException("more devices than one page for user " + userId);
      }
      return devices;
    });
  }

  /**
   * Every registered device of each of the users (users without one are absent), read
   * {@link #USERS_PER_READ} users per request.
   */
  public CompletionStage<Map<String, List<DeviceRegistration>>> devicesOf(Collection<String> userIds) {
    List<String> users = List.copyOf(new LinkedHashSet<>(userIds));
    Map<String, List<DeviceRegistration>> devices = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> reads = new ArrayList<>();
    for (int from = 0; from < users.size(); from += USERS_PER_READ) {
      List<String> chunk = users.subList(from, Math.min(users.size(), from + USERS_PER_READ));
      reads.add(AsyncRows.forEach(session.executeAsync(read(selectUsers.bind(chunk))), row -> {
        DeviceRegistration device = toRegistration(row);
        devices.computeIfAbsent(device.userId(), u -> new CopyOnWriteArrayList<>()).add(device);
        return true;
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> devices);
  }

  public CompletionStage<Optional<DeviceRegistration>> device(String userId, String deviceId) {
    return session.executeAsync(read(selectDevice.bind(userId, deviceId)))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(DeviceRegistry::toRegistration));
  }

  private Statement<?> read(Statement<?> statement) {
    return statement.setConsistencyLevel(config.consistency()).setIdempotent(true);
  }

  private CompletionStage<Void> run(Statement<?> statement) {
    return session.executeAsync(statement.setConsistencyLevel(config.consistency()).setIdempotent(true))
        .thenApply(rs -> (Void) null);
  }

  private static DeviceRegistration toRegistration(Row row) {
    return new DeviceRegistration(row.getString("user_id"), row.getString("device_id"),
        PushPlatform.forNumber(row.getInt("platform")),
        Optional.ofNullable(ApnsEnvironment.forNumber(row.getInt("apns_environment")))
            .orElse(ApnsEnvironment.APNS_ENVIRONMENT_UNSPECIFIED),
        row.getString("device_token"), row.getString("app_id"), row.getLong("registered_ms"));
  }
}

