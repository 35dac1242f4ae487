package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor that may be shared and
 * multi-threaded. Tasks that throw are logged and do not stop later tasks.
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor delegate;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final String name;
  private volatile Thread runner;

  SerialExecutor(Executor delegate, String name) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.name = name;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(requireNonNull(task, "task"));
    schedule();
  }

  private void schedule() {
    if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
      try {
        delegate.execute(this::runAll);
      } catch (RejectedExecutionException e) {
        scheduled.set(false);
        tasks.clear();
        log.debug("{}: executor shut down, dropping tasks", name);
      }
    }
  }

  /** True when called from a task of this executor. */
  boolean inThisExecutor() {
    return runner == Thread.currentThread();
  }

  private void runAll() {
    runner = Thread.currentThread();
    try {
      Runnable task;
      int budget = 256;
      while (budget-- > 0 && (task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("{}: task failed", name, e);
        }
      }
    } finally {
      runner = null;
      scheduled.set(false);
      schedule();
    }
  }
}
