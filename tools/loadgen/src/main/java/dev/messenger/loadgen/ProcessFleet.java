package dev.messenger.loadgen;

import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.report.RunReport;
import dev.messenger.loadgen.run.RunResult;
import dev.messenger.loadgen.run.SecondSample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one scenario over several load-generator processes (each has its own file-descriptor limit):
 * starts the children with the same arguments plus their shard, waits until every child has its devices
 * connected, tells them all to start sending at once, shows their combined progress, and merges their
 * partial reports into one.
 */
final class ProcessFleet {
  private final int processes;
  private final List<String> childArgs;
  private final Path out;
  private final PrintWriter terminal;
  private final Map<Integer, SecondSample[]> seconds = new HashMap<>();

  ProcessFleet(int processes, List<String> childArgs, Path out, PrintWriter terminal) {
    this.processes = processes;
    this.childArgs = childArgs;
    this.out = out;
    this.terminal = terminal;
  }

  /** Runs the children; returns the merged result. */
  RunResult run(String runId) throws IOException, InterruptedException {
    List<Process> children = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(processes);
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(LoadgenMain.class.getName());
      command.add("run");
      command.addAll(childArgs);
      command.add("--shard=" + i + "/" + processes);
      command.add("--run-id=" + runId);
      command.add("--coordinated");
      command.add("--out=" + partDir(i));
      Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      children.add(child);
      int index = i;
      Thread reader = new Thread(() -> read(index, child, ready), "lg-child-" + i);
      reader.setDaemon(true);
      reader.start();
      readers.add(reader);
    }
    try {
      ready.await();
      for (Process child : children) {
        try {
          Writer stdin = child.outputWriter(StandardCharsets.UTF_8);
          stdin.write(StdinCoordinator.GO + "\n");
          stdin.flush();
        } catch (IOException gone) {
          // The child has ended already; its exit code says why.
        }
      }
      terminal.println("all " + processes + " processes connected; sending");
      List<RunResult> parts = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        int code = children.get(i).waitFor();
        readers.get(i).join();
        if (code != 0 && code != LoadgenMain.CHECKS_FAILED) {
          throw new IllegalStateException("load-generator process " + i + " failed (exit " + code + ")");
        }
        parts.add(RunReport.fromJson(ReportFiles.read(partDir(i).resolve("report-part.json"))));
      }
      return RunReport.merge(parts);
    } finally {
      children.forEach(Process::destroy);
    }
  }

  private Path partDir(int i) {
    return out.resolve("part-" + i);
  }

  private void read(int index, Process child, CountDownLatch ready) {
    boolean counted = false;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith(StdinCoordinator.READY)) {
          terminal.println("process " + index + ": " + line.substring(StdinCoordinator.READY.length()).trim()
              .replace(" ", " of ") + " devices connected");
          ready.countDown();
          counted = true;
        } else if (line.startsWith(ProgressPrinter.SAMPLE_PREFIX)) {
          sample(index, SecondSample.fromMap(Json.parseObject(line.substring(ProgressPrinter.SAMPLE_PREFIX.length()))));
        } else if (line.startsWith(ProgressPrinter.RAMP_PREFIX)) {
          terminal.println("process " + index + ": " + line.substring(ProgressPrinter.RAMP_PREFIX.length()));
        } else {
          terminal.println("process " + index + ": " + line);
        }
      }
    } catch (IOException e) {
      terminal.println("process " + index + ": output lost: " + e.getMessage());
    } finally {
      if (!counted) {
        ready.countDown();
      }
    }
  }

  /** Prints the combined line once every process has reported the same second. */
  private synchronized void sample(int index, SecondSample sample) {
    SecondSample[] row = seconds.computeIfAbsent(sample.second(), s -> new SecondSample[processes]);
    row[index] = sample;
    for (SecondSample s : row) {
      if (s == null) {
        return;
      }
    }
    SecondSample total = row[0];
    for (int i = 1; i < row.length; i++) {
      total = total.plus(row[i]);
    }
    seconds.remove(sample.second());
    terminal.println(ProgressPrinter.line(total));
  }
}
