package dev.messenger.loadgen.run;

import dev.messenger.api.v1.CaughtUp;
import dev.messenger.api.v1.ClientFrame;
import dev.messenger.api.v1.Delivery;
import dev.messenger.api.v1.DiscoveryGrpc;
import dev.messenger.api.v1.GetSessionServersRequest;
import dev.messenger.api.v1.GetSessionServersResponse;
import dev.messenger.api.v1.HeartbeatAck;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessageKind;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.api.v1.SessionGrpc;
import dev.messenger.api.v1.SessionServer;
import dev.messenger.api.v1.Welcome;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately broken Session + Discovery server for testing the load generator: it answers sends with
 * acks and delivers every message to every device of every member (catch-up included), like the real one,
 * except that every {@code n}-th message it is sent suffers a {@link Fault}. It counts what it broke, so a
 * test can check that the tool reports exactly that. One lock serializes everything: small tests only.
 */
final class BrokenSessionServer implements AutoCloseable {
  /** What happens to every n-th message. */
  enum Fault {
    /** Nothing: a correct server. */
    NONE,
    /** Acknowledged, then neither stored nor delivered (an ack before the durable write). */
    DROP,
    /** Stored twice under two seqs, both delivered (a retry that created a second message). */
    STORE_TWICE,
    /** Stored once, but its Delivery frame is written twice to every stream. */
    REDELIVER
  }

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<Principal> PRINCIPAL = Context.key("principal");

  private final Tokens tokens;
  private final Fault fault;
  private final int every;
  private final Server server;
  private final Object lock = new Object();
  private final Map<String, List<Message>> conversations = new HashMap<>();
  private final Map<String, Set<String>> conversationsOfUser = new HashMap<>();
  private final Map<String, Map<String, StreamObserver<ServerFrame>>> streams = new HashMap<>();
  private final Map<String, SendAck> acks = new HashMap<>();
  private long received;
  private long broken;

  BrokenSessionServer(String tokenKey, Fault fault, int every) {
    this.tokens = new Tokens(tokenKey, Clock.systemUTC());
    this.fault = fault;
    this.every = every;
    ServerInterceptor auth = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String header = headers.get(AUTHORIZATION);
        var principal = header == null ? java.util.Optional.<Principal>empty()
            : tokens.verify(header.replaceFirst("^Bearer ", ""));
        if (principal.isEmpty()) {
          call.close(Status.UNAUTHENTICATED.withDescription("bad token"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(PRINCIPAL, principal.get()), call, headers, next);
      }
    };
    try {
      this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .addService(ServerInterceptors.intercept(new Session(), auth))
          .addService(new Discovery())
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** How many messages were broken (dropped, stored twice or redelivered). */
  long broken() {
    synchronized (lock) {
      return broken;
    }
  }

  /** Distinct sends received (retries of a client id not counted). */
  long received() {
    synchronized (lock) {
      return received;
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private final class Discovery extends DiscoveryGrpc.DiscoveryImplBase {
    @Override
    public void getSessionServers(GetSessionServersRequest request,
        StreamObserver<GetSessionServersResponse> responses) {
      responses.onNext(GetSessionServersResponse.newBuilder()
          .addServers(SessionServer.newBuilder().setServerId("broken").setAddress(address())).build());
      responses.onCompleted();
    }
  }

  private final class Session extends SessionGrpc.SessionImplBase {
    @Override
    public StreamObserver<ClientFrame> connect(StreamObserver<ServerFrame> out) {
      Principal principal = PRINCIPAL.get();
      return new StreamObserver<>() {
        @Override
        public void onNext(ClientFrame frame) {
          synchronized (lock) {
            switch (frame.getFrameCase()) {
              case HELLO -> hello(principal, out, frame.getHello().getResume().getSeqsMap());
              case SEND -> onSend(principal, out, frame.getSend());
              case HEARTBEAT -> out.onNext(ServerFrame.newBuilder().setHeartbeatAck(HeartbeatAck.newBuilder()
                  .setClientTimeMs(frame.getHeartbeat().getClientTimeMs())).build());
              default -> { }
            }
          }
        }

        @Override
        public void onError(Throwable t) {
          gone(principal, out);
        }

        @Override
        public void onCompleted() {
          gone(principal, out);
          synchronized (lock) {
            out.onCompleted();
          }
        }
      };
    }
  }

  private void hello(Principal who, StreamObserver<ServerFrame> out, Map<String, Long> cursor) {
    streams.computeIfAbsent(who.userId(), u -> new HashMap<>()).put(who.deviceId(), out);
    out.onNext(ServerFrame.newBuilder().setWelcome(Welcome.newBuilder().setUserId(who.userId())
        .setDeviceId(who.deviceId()).setServerId("broken").setHeartbeatIntervalMs(15_000)).build());
    long delivered = 0;
    for (String conversation : conversationsOfUser.getOrDefault(who.userId(), Set.of())) {
      long after = cursor.getOrDefault(conversation, 0L);
      for (Message message : conversations.get(conversation)) {
        if (message.getSeq() > after) {
          out.onNext(delivery(message));
          delivered++;
        }
      }
    }
    out.onNext(ServerFrame.newBuilder().setCaughtUp(CaughtUp.newBuilder().setDelivered(delivered)).build());
  }

  private void onSend(Principal who, StreamObserver<ServerFrame> out, SendRequest request) {
    String conversation = request.hasToUserId()
        ? ConversationIds.direct(who.userId(), request.getToUserId()) : request.getConversationId();
    String key = conversation + "/" + who.userId() + "/" + request.getClientMessageId();
    SendAck known = acks.get(key);
    if (known != null) {
      out.onNext(ServerFrame.newBuilder().setSendAck(known.toBuilder().setDuplicate(true)).build());
      return;
    }
    received++;
    boolean faulty = fault != Fault.NONE && received % every == 0;
    if (faulty) {
      broken++;
    }
    List<Message> log = conversations.computeIfAbsent(conversation, c -> new ArrayList<>());
    ConversationIds.Pair pair = ConversationIds.directMembers(conversation).orElseThrow();
    Set<String> members = new LinkedHashSet<>(List.of(pair.first(), pair.second()));
    members.forEach(m -> conversationsOfUser.computeIfAbsent(m, u -> new LinkedHashSet<>()).add(conversation));
    Message message = Message.newBuilder().setConversationId(conversation).setSeq(log.size() + 1)
        .setMessageId("m" + received).setSenderUserId(who.userId()).setSenderDeviceId(who.deviceId())
        .setClientMessageId(request.getClientMessageId()).setBody(request.getBody())
        .setServerTimeMs(System.currentTimeMillis()).setKind(MessageKind.MESSAGE_KIND_TEXT).build();
    SendAck ack = SendAck.newBuilder().setClientMessageId(request.getClientMessageId())
        .setConversationId(conversation).setSeq(faulty && fault == Fault.DROP ? 0 : message.getSeq())
        .setMessageId(message.getMessageId()).build();
    acks.put(key, ack);
    if (!(faulty && fault == Fault.DROP)) {
      log.add(message);
      publish(members, message, faulty && fault == Fault.REDELIVER);
      if (faulty && fault == Fault.STORE_TWICE) {
        Message second = message.toBuilder().setSeq(log.size() + 1).setMessageId("m" + received + "b").build();
        log.add(second);
        publish(members, second, false);
      }
    }
    out.onNext(ServerFrame.newBuilder().setSendAck(ack).build());
  }

  private void publish(Set<String> members, Message message, boolean twice) {
    for (String member : members) {
      for (StreamObserver<ServerFrame> stream : streams.getOrDefault(member, Map.of()).values()) {
        stream.onNext(delivery(message));
        if (twice) {
          stream.onNext(delivery(message));
        }
      }
    }
  }

  private static ServerFrame delivery(Message message) {
    return ServerFrame.newBuilder().setDelivery(Delivery.newBuilder().setMessage(message)).build();
  }

  private void gone(Principal who, StreamObserver<ServerFrame> out) {
    synchronized (lock) {
      Map<String, StreamObserver<ServerFrame>> devices = streams.get(who.userId());
      if (devices != null && devices.get(who.deviceId()) == out) {
        devices.remove(who.deviceId());
      }
    }
  }
}
