package dev.supervision.hazelcast;

import dev.supervision.core.process.Address;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ReplyRelay;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.ServerRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/*
 * Messages between members: Java serialization, checked against an allow-list on both sides (at
 * the sender, every object written; at the receiver, every class read, by an ObjectInputFilter).
 * Objects that only mean something on their member are swapped on the way: a call's own ReplyTo
 * becomes a ReplyToken (the receiver puts a ReplyRelay in its place), a Pid its GlobalPid, a
 * ServerRef a RefToken of its portable address; GlobalPids and ClusterNames read back are bound to
 * the receiving member.
 */
final class Codec {
  private static final List<String> BUILT_IN =
      List.of(
          "java.lang.*",
          "java.util.*",
          "java.time.*",
          "java.math.*",
          // a serializable lambda (RemoteTasks' SerializableCallable) travels as this; the class
          // that wrote the lambda, which recreates it on the receiver, must be allowed as well
          "java.lang.invoke.SerializedLambda",
          "dev.supervision.hazelcast.*");

  private final Transport transport;
  private final ObjectInputFilter patterns;

  Codec(Transport transport, List<String> allowed) {
    this.transport = transport;
    List<String> patterns = new ArrayList<>(BUILT_IN);
    patterns.addAll(allowed);
    this.patterns = ObjectInputFilter.Config.createFilter(String.join(";", patterns) + ";!*");
  }

  record ReplyToken(long correlation) implements Serializable {}

  record RefToken(Serializable address) implements Serializable {}

  /* Why the sender refused an object: becomes an UnserializableMessageException. */
  private static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /* A message that another member could not read. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message, Throwable cause) {
      super(message + ": " + cause, cause);
    }
  }

  boolean allows(Class<?> type) {
    Class<?> c = type;
    while (c.isArray()) {
      c = c.getComponentType();
    }
    if (c.isPrimitive()) {
      return true;
    }
    for (Class<?> k = c;
        k != null && Serializable.class.isAssignableFrom(k);
        k = k.getSuperclass()) {
      if (patterns.checkInput(new ClassCheck(k)) != ObjectInputFilter.Status.ALLOWED) {
        return false;
      }
    }
    return true;
  }

  private boolean allowsName(String className) {
    try {
      Class<?> type = Class.forName(className, false, transport.classLoader());
      return patterns.checkInput(new ClassCheck(type)) == ObjectInputFilter.Status.ALLOWED;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /*
   * Serializes `message`; `own` (with its correlation id) is the ReplyTo of the call it belongs
   * to, if it is a call's.
   */
  byte[] encode(Object message, @Nullable ReplyTo<?> own, long correlation) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (Out out = new Out(bytes, own, correlation)) {
      out.writeObject(message);
    } catch (Refused e) {
      throw new UnserializableMessageException(
          describe(message) + " cannot be sent to another member: " + e.getMessage(), e);
    } catch (NotSerializableException e) {
      throw new UnserializableMessageException(
          describe(message)
              + " cannot be sent to another member: "
              + e.getMessage()
              + " does not implement java.io.Serializable (a record or an enum of the protocol:"
              + " make the protocol interface extend Serializable)",
          e);
    } catch (IOException | RuntimeException e) {
      throw new UnserializableMessageException(
          describe(message) + " cannot be sent to another member: " + e, e);
    }
    return bytes.toByteArray();
  }

  /* Reads a message; a ReplyToken in it becomes `relay`. */
  Object decode(byte[] payload, @Nullable ReplyRelay<?> relay) throws Unreadable {
    In in = null;
    try {
      in = new In(new ByteArrayInputStream(payload), relay);
      return in.readObject();
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      String rejected = in == null ? null : in.rejected;
      throw new Unreadable(
          rejected == null
              ? "could not read a message from another member"
              : "class "
                  + rejected
                  + " is not in this member's allow-list; add a pattern that matches it to"
                  + " ClusterOptions.allowedClasses (property supervision.cluster.allowed-classes)",
          e);
    } finally {
      if (in != null) {
        try {
          in.close();
        } catch (IOException e) {
          // a ByteArrayInputStream does not fail to close
        }
      }
    }
  }

  private static String describe(Object message) {
    return "message " + message.getClass().getName();
  }

  /* Exit reasons: OTP's terms, with what they carry sent if it can be and described if not. */
  private static final byte NORMAL = 0;
  private static final byte SHUTDOWN = 1;
  private static final byte SHUTDOWN_INFO = 2;
  private static final byte SHUTDOWN_TEXT = 3;
  private static final byte KILLED = 4;
  private static final byte CRASHED = 5;
  private static final byte CRASHED_TEXT = 6;
  private static final byte NO_PROC = 7;

  void writeReason(DataOutputStream out, ExitReason reason) throws IOException {
    switch (reason) {
      case ExitReason.Normal n -> out.writeByte(NORMAL);
      case ExitReason.Killed k -> out.writeByte(KILLED);
      case ExitReason.NoProc p -> out.writeByte(NO_PROC);
      case ExitReason.Shutdown s -> {
        Object info = s.info();
        if (info == null) {
          out.writeByte(SHUTDOWN);
        } else {
          byte[] bytes = tryEncode(info);
          if (bytes != null) {
            out.writeByte(SHUTDOWN_INFO);
            writeBytes(out, bytes);
          } else {
            out.writeByte(SHUTDOWN_TEXT);
            out.writeUTF(String.valueOf(info));
          }
        }
      }
      case ExitReason.Crashed c -> {
        byte[] bytes = tryEncode(c.error());
        if (bytes != null) {
          out.writeByte(CRASHED);
          writeBytes(out, bytes);
        } else {
          out.writeByte(CRASHED_TEXT);
          out.writeUTF(c.error().getClass().getName());
          out.writeUTF(String.valueOf(c.error().getMessage()));
        }
      }
    }
  }

  ExitReason readReason(DataInputStream in) throws IOException, Unreadable {
    byte kind = in.readByte();
    return switch (kind) {
      case NORMAL -> ExitReason.normal();
      case SHUTDOWN -> ExitReason.shutdown();
      case SHUTDOWN_INFO -> ExitReason.shutdown(decode(readBytes(in), null));
      case SHUTDOWN_TEXT -> ExitReason.shutdown(in.readUTF());
      case KILLED -> ExitReason.killed();
      case CRASHED ->
          decode(readBytes(in), null) instanceof Throwable t
              ? ExitReason.crashed(t)
              : ExitReason.crashed(new RemoteFailure("?", "unreadable"));
      case CRASHED_TEXT -> ExitReason.crashed(new RemoteFailure(in.readUTF(), in.readUTF()));
      case NO_PROC -> ExitReason.noProc();
      default -> throw new IOException("unknown exit reason kind " + kind);
    };
  }

  /* Throwables and infos go as they are if they can, else as text (never failing the exit). */
  private byte @Nullable [] tryEncode(Object value) {
    try {
      return encode(value, null, 0L);
    } catch (UnserializableMessageException e) {
      return null;
    }
  }

  static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("negative length " + length);
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  private final class Out extends ObjectOutputStream {
    private final @Nullable ReplyTo<?> own;
    private final long correlation;

    Out(ByteArrayOutputStream bytes, @Nullable ReplyTo<?> own, long correlation)
        throws IOException {
      super(bytes);
      this.own = own;
      this.correlation = correlation;
      enableReplaceObject(true);
    }

    @Override
    protected Object replaceObject(Object obj) throws IOException {
      if (obj instanceof ObjectStreamException || obj instanceof Refused) {
        return obj; // the stream writing down why it failed: the caller gets the exception itself
      }
      if (obj instanceof ReplyTo<?> replyTo) {
        if (own != null && replyTo == own) {
          return new ReplyToken(correlation);
        }
        throw new Refused(
            "it carries a ReplyTo that is not its own call's; only the reply target of the call"
                + " being sent may cross members");
      }
      if (obj instanceof ServerRef<?> ref) {
        return new RefToken(portable(ref.address()));
      }
      if (obj instanceof Pid pid) {
        return transport.export(pid);
      }
      if (obj instanceof Address address && !(obj instanceof Serializable)) {
        throw new Refused(
            address
                + " ("
                + obj.getClass().getName()
                + ") is an address on its member only; send a GlobalPid (ClusterNode.export) or"
                + " a ClusterName instead");
      }
      if (obj instanceof SerializedLambda lambda) {
        String capturing = lambda.getCapturingClass().replace('/', '.');
        if (!allowsName(capturing)) {
          throw new Refused(
              "it holds a lambda written in class "
                  + capturing
                  + ", which is not in the cluster's allow-list (the receiver needs that class to"
                  + " recreate the lambda); add a pattern that matches it to"
                  + " ClusterOptions.allowedClasses (property supervision.cluster.allowed-classes)");
        }
      }
      if (!allows(obj.getClass())) {
        throw new Refused(
            "class "
                + obj.getClass().getName()
                + " is not in the cluster's allow-list; add a pattern that matches it to"
                + " ClusterOptions.allowedClasses (property supervision.cluster.allowed-classes)");
      }
      return obj;
    }

    private Serializable portable(Address address) throws IOException {
      return switch (address) {
        case Pid pid -> transport.export(pid);
        case ServerRef<?> ref -> portable(ref.address());
        case GlobalPid global -> global;
        case ClusterName name -> name;
        default ->
            throw new Refused(
                "it holds a ServerRef over "
                    + address
                    + ", an address on its member only; use a GlobalPid (ClusterNode.export) or a"
                    + " ClusterName");
      };
    }
  }

  private final class In extends ObjectInputStream {
    private final @Nullable ReplyRelay<?> relay;
    private @Nullable String rejected;

    In(ByteArrayInputStream bytes, @Nullable ReplyRelay<?> relay) throws IOException {
      super(bytes);
      this.relay = relay;
      setObjectInputFilter(this::check);
      enableResolveObject(true);
    }

    private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
      Class<?> type = info.serialClass();
      if (type == null) {
        return ObjectInputFilter.Status.UNDECIDED;
      }
      if (allows(type)) {
        return ObjectInputFilter.Status.ALLOWED;
      }
      rejected = type.getName();
      return ObjectInputFilter.Status.REJECTED;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      ClassLoader loader = transport.classLoader();
      if (loader != null) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          // fall back to the default resolution below
        }
      }
      return super.resolveClass(desc);
    }

    @Override
    protected Object resolveObject(Object obj) throws IOException {
      return switch (obj) {
        case ReplyToken token -> {
          if (relay == null) {
            throw new InvalidObjectException("a reply target outside a call message");
          }
          yield relay;
        }
        case RefToken token -> ServerRef.of(bind(token.address()));
        case GlobalPid global -> global.boundTo(transport);
        case ClusterName name -> name.boundTo(transport.registry());
        default -> obj;
      };
    }

    private Address bind(Serializable address) throws IOException {
      return switch (address) {
        case GlobalPid global -> global.boundTo(transport);
        case ClusterName name -> name.boundTo(transport.registry());
        default -> throw new InvalidObjectException("not an address: " + address.getClass());
      };
    }
  }

  private record ClassCheck(Class<?> serialClass) implements ObjectInputFilter.FilterInfo {
    @Override
    public long arrayLength() {
      return -1;
    }

    @Override
    public long depth() {
      return 1;
    }

    @Override
    public long references() {
      return 0;
    }

    @Override
    public long streamBytes() {
      return 0;
    }
  }
}
