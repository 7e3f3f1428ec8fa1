package io.vantage.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP load generator: Debian's {@code wrk} (installed when missing), a separate process that
 * reaches the bare server's ceiling where a JVM client does not. Each request carries a fresh
 * event (its own {@code event_id}) built by a Lua script, the same script for the ceiling and for
 * the collector; the script's {@code done} hook prints the figures wrk's HdrHistogram measured.
 */
final class Wrk {
    /** What one wrk run measured. */
    record Result(double requestsPerSecond, double p50Ms, double p99Ms, long errors, long requests) {
    }

    private final Path scripts;

    Wrk(Path scripts) {
        this.scripts = scripts;
    }

    static void ensureInstalled() throws IOException, InterruptedException {
        if (!DebianPackages.installIfMissing("wrk")) {
            throw new IllegalStateException("wrk is missing and could not be installed: apt-get install wrk");
        }
    }

    /** The Lua script for POSTs of {@code batch} events per request to {@code path}; {@code dynamic=false} sends one fixed body. */
    Path script(String path, int batch, boolean dynamic) throws IOException {
        String event = "'{\"site\":\"bench\",\"type\":\"pageview\",\"url\":\"https://bench.example/p' .. (n % 50) .. '\","
                + "\"visitor_id\":\"v' .. tid .. '-' .. (n % 5000) .. '\",\"event_id\":\"' .. tid .. '-' .. n .. '\"}'";
        String lua = """
                local tid = 0
                local n = 0
                local threads = {}
                function setup(thread)
                  thread:set("tid", math.random(1, 2000000000))
                  table.insert(threads, thread)
                end
                function init(args)
                  tid = wrk.thread:get("tid")
                  n = 0
                end
                local headers = {["Content-Type"] = "text/plain", ["User-Agent"] = "%UA%"}
                local function body()
                  local parts = {}
                  for i = 1, %BATCH% do
                    n = n + 1
                    parts[i] = %EVENT%
                  end
                  if %BATCH% == 1 then return parts[1] end
                  return "[" .. table.concat(parts, ",") .. "]"
                end
                local fixed = nil
                function request()
                  if not %DYNAMIC% then
                    if fixed == nil then fixed = wrk.format("POST", "%PATH%", headers, body()) end
                    return fixed
                  end
                  return wrk.format("POST", "%PATH%", headers, body())
                end
                function done(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("BENCH requests=%d duration_us=%d errors=%d p50_us=%d p99_us=%d\\n",
                    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
                    latency:percentile(50), latency:percentile(99)))
                end
                """.replace("%UA%", Api.BROWSER_UA).replace("%BATCH%", String.valueOf(batch)).replace("%EVENT%", event)
                .replace("%DYNAMIC%", String.valueOf(dynamic)).replace("%PATH%", path);
        Files.createDirectories(scripts);
        Path file = scripts.resolve("wrk-" + path.replace('/', '_') + "-" + batch + (dynamic ? "" : "-fixed") + ".lua");
        Files.writeString(file, lua, StandardCharsets.UTF_8);
        return file;
    }

    /** Runs wrk against {@code url} with {@code script} for {@code seconds}, 2 threads (1 for 1 connection), {@code connections} connections. */
    Result run(String url, Path script, int seconds, int connections) throws IOException, InterruptedException {
        // wrk wants at least one connection per thread
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + Math.min(2, connections), "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
                "-s", script.toString(), url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        return parse(out);
    }

    /** The figures of the {@code BENCH} line of the script's {@code done} hook. */
    static Result parse(String out) {
        String line = out.lines().filter(l -> l.startsWith("BENCH ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk printed no BENCH line: " + out));
        Map<String, Long> v = new TreeMap<>();
        for (String kv : line.substring(6).trim().split("\\s+")) {
            String[] p = kv.split("=");
            v.put(p[0], Long.parseLong(p[1]));
        }
        double seconds = v.get("duration_us") / 1e6;
        return new Result(v.get("requests") / seconds, v.get("p50_us") / 1000.0, v.get("p99_us") / 1000.0, v.get("errors"),
                v.get("requests"));
    }
}
