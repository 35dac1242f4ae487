package dev.messenger.loadgen;

import dev.messenger.loadgen.run.WindowProbe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How much a CPU-second does on this machine at the time of a run: the median CPU time of
 * {@link ReferenceWork}'s job, measured before the run, with nothing sent yet by it, first alone on one core, then
 * on every core at once. Two runs' CPU per message compare only at the same speed: {@code loadgen plan-cluster}
 * scales one by the other. The second figure is the one that matters under load: a virtual machine's cores may
 * share a physical core's execution units with each other or with another tenant, so that each does less when all
 * are busy, which one core alone does not show. Not measured in the window: there the job's CPU time grows with
 * the run's own load (five times at 150 msg/s on one node, as the run's threads take its caches), which is the
 * model's to predict, not the machine's speed.
 */
final class MachineSpeedProbe implements WindowProbe {
  /** The key of its result among the window's measurements. */
  static final String KEY = "machine_speed";
  private static final int WARM_UP_JOBS = 1_000;
  private static final int MEASURED_JOBS = 500;
  private static final int MEASURED_JOBS_PER_CORE = 250;
  /** Far above the 500 warm-up and 250 measured jobs (under a second) a thread may still have to run. */
  private static final int STOP_WAIT_SECONDS = 10;

  private final Map<String, Object> result;

  private MachineSpeedProbe(Map<String, Object> result) {
    this.result = result;
  }

  /**
   * Measures the speed now, before the run: about 1.2 s of one core, then under a second of every core. The first
   * thousand jobs warm the JIT up: after 300, a new JVM's job still took a quarter longer than after 1,000. Should
   * the job on every core fail, the one-core figure is kept alone.
   */
  static MachineSpeedProbe measuredNow() {
    ReferenceWork work = new ReferenceWork();
    if (!work.measurable()) {
      return new MachineSpeedProbe(Map.of());
    }
    Map<String, Object> speed = new LinkedHashMap<>();
    speed.put("job", ReferenceWork.DESCRIPTION);
    warmUp(work, WARM_UP_JOBS);
    speed.put("before_run_job_cpu_us", medianMicros(jobs(work, MEASURED_JOBS)));
    speed.put("before_run_jobs", MEASURED_JOBS);
    speed.put("before_run_warm_up_jobs", WARM_UP_JOBS);
    int cores = Runtime.getRuntime().availableProcessors();
    jobsOnEveryCore(cores).ifPresent(nanos -> {
      speed.put("all_cores_job_cpu_us", medianMicros(nanos));
      speed.put("all_cores_threads", cores);
      speed.put("all_cores_jobs", nanos.size());
    });
    return new MachineSpeedProbe(Map.of(KEY, speed));
  }

  private static void warmUp(ReferenceWork work, int jobs) {
    for (int i = 0; i < jobs; i++) {
      work.cpuNanosOfOneJob();
    }
  }

  private static List<Long> jobs(ReferenceWork work, int measured) {
    List<Long> nanos = new ArrayList<>(measured);
    for (int i = 0; i < measured; i++) {
      nanos.add(work.cpuNanosOfOneJob());
    }
    return nanos;
  }

  /**
   * The job on one thread per core, each with its own working set, all starting their measured runs together
   * (the last runs of the slowest thread may run alone); empty if a thread failed or this one was interrupted.
   */
  private static Optional<List<Long>> jobsOnEveryCore(int cores) {
    List<ReferenceWork> works = new ArrayList<>();
    for (int i = 0; i < cores; i++) {
      works.add(new ReferenceWork());
    }
    CyclicBarrier together = new CyclicBarrier(cores);
    AtomicInteger numbers = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(cores, runnable -> {
      Thread thread = new Thread(runnable, "machine-speed-job-" + numbers.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<List<Long>>> perCore = new ArrayList<>();
      for (ReferenceWork own : works) {
        perCore.add(threads.submit(() -> {
          try {
            together.await();
            warmUp(own, WARM_UP_JOBS / 2);
            together.await();
            return jobs(own, MEASURED_JOBS_PER_CORE);
          } catch (Throwable e) {
            together.reset(); // so that no other thread waits for this one for ever
            throw e;
          }
        }));
      }
      List<Long> nanos = new ArrayList<>();
      for (Future<List<Long>> core : perCore) {
        nanos.addAll(core.get());
      }
      return Optional.of(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.empty();
    } finally {
      threads.shutdownNow();
      awaitStopped(threads);
    }
  }

  /** A thread still timing jobs after another failed would run into the measured run: wait for it to stop. */
  private static void awaitStopped(ExecutorService threads) {
    try {
      threads.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The upper median, in microseconds to one decimal. */
  private static double medianMicros(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return Math.round(sorted.get(sorted.size() / 2) / 100.0) / 10.0;
  }

  @Override
  public void windowStarts() {}

  @Override
  public Map<String, Object> windowEnds() {
    return result;
  }
}
