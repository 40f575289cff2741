package dev.supervision.core.supervisor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The supervisor reports logged while it is open. System.Logger is backed by java.util.logging here
 * (the JDK's default when nothing else provides a LoggerFinder), so a handler on the logger named
 * after {@link Supervisor} sees them; they are kept from the console meanwhile.
 */
final class ReportLog extends Handler implements AutoCloseable {
  private final Logger logger = Logger.getLogger(Supervisor.class.getName());
  private final Level level = logger.getLevel();
  private final boolean parents = logger.getUseParentHandlers();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private ReportLog() {}

  static ReportLog open() {
    ReportLog log = new ReportLog();
    log.logger.setLevel(Level.ALL);
    log.logger.setUseParentHandlers(false);
    log.logger.addHandler(log);
    return log;
  }

  /** Every record so far, in order. */
  List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** The messages of the records so far, in order. */
  List<String> messages() {
    return records.stream().map(LogRecord::getMessage).toList();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setUseParentHandlers(parents);
    logger.setLevel(level);
  }
}
