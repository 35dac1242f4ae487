package dev.messenger.loadgen;

import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.report.SummaryText;
import dev.messenger.loadgen.report.SvgChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Writes a run report in its three forms (report.json, report.svg, summary.txt) and reads JSON files. */
final class ReportFiles {
  private ReportFiles() {}

  /** Writes the three files into {@code dir}; returns the summary text. */
  static String writeRun(Path dir, String name, Map<String, Object> report) {
    String summary = SummaryText.of(report);
    write(dir.resolve(name + ".json"), Json.write(report));
    write(dir.resolve(name + ".svg"), SvgChart.of(report));
    write(dir.resolve(name + ".txt"), summary);
    return summary;
  }

  static void write(Path file, String content) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static Map<String, Object> read(Path file) {
    try {
      return Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static Optional<Map<String, Object>> readOptional(Path file) {
    return file == null ? Optional.empty() : Optional.of(read(file));
  }
}
