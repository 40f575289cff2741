package dev.supervision.core.supervisor;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ReplyTo;

/* The calls both kinds of supervisor answer, and the retry message they send themselves. */
sealed interface Request {
  record StartChild(ChildSpec spec) implements Request {}

  record TerminateChild(String id) implements Request {}

  record TerminateChildPid(Pid pid) implements Request {}

  record RestartChild(String id) implements Request {}

  record DeleteChild(String id) implements Request {}

  /* One child, by id (static) or pid (dynamic): answered with an Optional<ChildInfo>. */
  record WhichChild(String id) implements Request {}

  record WhichChildPid(Pid pid) implements Request {}

  /* One child's spec, by id (static) or pid (dynamic): answered with an Optional<ChildSpec>. */
  record GetChildSpec(String id) implements Request {}

  record GetChildSpecPid(Pid pid) implements Request {}

  enum Which implements Request {
    INSTANCE
  }

  enum Count implements Request {
    INSTANCE
  }

  enum Inspect implements Request {
    INSTANCE
  }

  /* Sent to itself after a failed restart: retry this child's restart. */
  record Retry(Child child) {}

  /* How a request travels: the supervisor's protocol. The reply is a value or a ChildException. */
  record Call(Request request, ReplyTo<Object> replyTo) {}

  /* The reply "done", for operations that return nothing. */
  enum Ok {
    INSTANCE
  }
}
