package dev.messenger.systemtests.messaging;

import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.Hello;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Many devices' Connect streams over one channel per session server (hundreds of devices without hundreds of
 * client libraries): each stream says Hello with an empty cursor and records its deliveries in order.
 */
final class LiveDevices implements AutoCloseable {
  /** One device's stream and what it received. */
  static final class Device {
    final String userId;
    final List<Message> messages = new CopyOnWriteArrayList<>();
    volatile boolean caughtUp;
    volatile Throwable error;
    private ClientCallStreamObserver<ClientFrame> requests;

    Device(String userId) {
      this.userId = userId;
    }

    List<Message> in(String conversationId) {
      return messages.stream().filter(m -> m.getConversationId().equals(conversationId)).toList();
    }

    void close() {
      if (requests != null) {
        requests.cancel("test done", null);
      }
    }
  }

  private final TestCluster cluster;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  final List<Device> devices = new CopyOnWriteArrayList<>();

  LiveDevices(TestCluster cluster) {
    this.cluster = cluster;
  }

  Device connect(String userId, String deviceId, String address) {
    ManagedChannel channel = channels.computeIfAbsent(address, a -> RawSession.channel(a, 1 << 20));
    Device device = new Device(userId);
    SessionGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
            RawSession.bearer(cluster.token(userId, deviceId))))
        .connect(new ClientResponseObserver<ClientFrame, ServerFrame>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<ClientFrame> requestStream) {
            device.requests = requestStream;
          }

          @Override
          public void onNext(ServerFrame frame) {
            if (frame.hasDelivery()) {
              device.messages.add(frame.getDelivery().getMessage());
            } else if (frame.hasCaughtUp()) {
              device.caughtUp = true;
            }
          }

          @Override
          public void onError(Throwable t) {
            device.error = t;
          }

          @Override
          public void onCompleted() {}
        });
    device.requests.onNext(ClientFrame.newBuilder().setHello(Hello.getDefaultInstance()).build());
    devices.add(device);
    return device;
  }

  @Override
  public void close() throws InterruptedException {
    devices.forEach(Device::close);
    List<ManagedChannel> all = new ArrayList<>(channels.values());
    for (ManagedChannel channel : all) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
