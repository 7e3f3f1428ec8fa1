package io.vantage.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.model.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/** {@code bin/vantage import}: access logs or NDJSON to {@code POST /api/import}, in chunks, with progress. */
final class ImportCommand {
    private static final int CHUNK = 5_000;

    private ImportCommand() {
    }

    private static final List<String> OPTIONS = List.of("site", "format", "url", "token", "help");

    /**
     * Imports the files; the exit status is 0 when something was imported or nothing was rejected,
     * 1 when every line was rejected (nothing imported), 2 for a usage error, a missing file or a
     * server that cannot be reached or refuses the import.
     */
    static int run(String[] argv, Map<String, String> env) throws InterruptedException {
        try {
            return importFiles(argv, env);
        } catch (IllegalArgumentException e) {
            return failed(e.getMessage());
        } catch (java.nio.file.NoSuchFileException e) {
            return failed("no such file: " + e.getFile());
        } catch (java.net.ConnectException e) {
            return failed("cannot reach the server (" + e.getMessage() + "); is Vantage running? pass --url or set VANTAGE_PORT");
        } catch (IOException e) {
            return failed(e.toString());
        }
    }

    /** One line on standard error, below the progress line; the exit status of a failed import. */
    private static int failed(String message) {
        System.err.println();
        System.err.println("error: " + message);
        return 2;
    }

    private static int importFiles(String[] argv, Map<String, String> env) throws IOException, InterruptedException {
        CliArgs args = CliArgs.parse(argv);
        for (String option : args.options().keySet()) {
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("unknown option --" + option + "; options: --site, --format, --url, --token");
            }
        }
        if (args.options().containsKey("help") || args.positional().isEmpty() || !args.options().containsKey("site")) {
            System.out.println("usage: bin/vantage import --site SITE [--format clf|combined|ndjson] [--url URL] [--token T] FILE...");
            System.out.println("  files may be gzip-compressed (.gz); each log line becomes a pageview (a POST a form_submit)");
            System.out.println("  --format   combined (the default), clf, or ndjson (one /collect event per line)");
            System.out.println("  --url      the collector or local mode (default http://127.0.0.1:$VANTAGE_PORT, port 8080)");
            System.out.println("  --token    the admin token (default $VANTAGE_ADMIN_TOKEN, else $VANTAGE_DATA_DIR/admin-token)");
            System.out.println("  exit status: 0 imported, 1 every line rejected, 2 usage error, missing file or server error");
            return args.options().containsKey("help") ? 0 : 2;
        }
        for (String file : args.positional()) {
            if (!Files.isReadable(Path.of(file))) {
                throw new java.nio.file.NoSuchFileException(file);
            }
        }
        String site = args.get("site", null);
        String formatName = args.get("format", "combined");
        LogImport.Format format = java.util.Arrays.stream(LogImport.Format.values())
                .filter(f -> f.name().equalsIgnoreCase(formatName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--format must be clf, combined or ndjson, got '" + formatName + "'"));
        String url = args.get("url", "http://127.0.0.1:" + env.getOrDefault("VANTAGE_PORT", "8080")) + "/api/import?site=" + site;
        String token = args.token(env);
        HttpClient http = HttpClient.newHttpClient();
        long read = 0;
        long imported = 0;
        long rejected = 0;
        long blank = 0;
        // Lines that are not of the format are named on the console, the first ten of the whole import.
        java.util.concurrent.atomic.AtomicInteger named = new java.util.concurrent.atomic.AtomicInteger();
        for (String file : args.positional()) {
            // A reader thread turns lines into chunks while this one sends the chunk before: the two
            // took about as long each, one after the other, and overlap now. One request at a time,
            // so the events reach Kafka in the file's order.
            java.util.concurrent.BlockingQueue<Chunk> chunks = new java.util.concurrent.ArrayBlockingQueue<>(2);
            java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "import-reader");
                t.setDaemon(true);
                return t;
            });
            java.util.concurrent.Future<?> reading = reader.submit(() -> {
                readChunks(Path.of(file), format, site, chunks, named);
                return null;
            });
            try {
                while (true) {
                    Chunk chunk = take(chunks, reading);
                    read += chunk.read();
                    rejected += chunk.unparsed();
                    blank += chunk.blank();
                    if (!chunk.events().isEmpty()) {
                        long[] r = send(http, url, token, chunk, file, named);
                        imported += r[0];
                        rejected += r[1];
                        System.err.printf("\r%s: %,d lines read, %,d imported, %,d rejected", file, read, imported, rejected);
                    }
                    if (chunk.last()) {
                        break;
                    }
                }
            } finally {
                reading.cancel(true);
                reader.shutdownNow();
            }
        }
        System.err.println();
        System.out.printf("%,d lines read, %,d imported, %,d rejected%s%n", read, imported, rejected,
                blank > 0 ? String.format(", %,d blank", blank) : "");
        if (imported == 0 && rejected > 0) {
            System.err.println("error: every line was rejected; is --format right (" + format.name().toLowerCase(java.util.Locale.ROOT) + ")?");
            return 1;
        }
        return 0;
    }

    /**
     * Lines of a file made into events, with the file's line number of each: how many lines were
     * read, how many were not lines of the format, how many were blank, and whether the file ended.
     */
    private record Chunk(List<String> events, long[] lineNumbers, long read, long unparsed, long blank, boolean last) {
    }

    /** Reads {@code file} into chunks of at most {@link #CHUNK} events, the last one marked, and reports lines that are not of {@code format}. */
    private static void readChunks(Path file, LogImport.Format format, String site, java.util.concurrent.BlockingQueue<Chunk> chunks,
            java.util.concurrent.atomic.AtomicInteger named) throws IOException, InterruptedException {
        try (BufferedReader in = open(file)) {
            List<String> events = new ArrayList<>(CHUNK);
            long[] numbers = new long[CHUNK];
            long read = 0;
            long unparsed = 0;
            long blank = 0;
            long lineNo = 0;
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                read++;
                if (line.isBlank()) {
                    blank++;
                    continue;
                }
                Optional<String> event = format == LogImport.Format.NDJSON ? Optional.of(line)
                        : LogImport.toEvent(line, format, site, file.getFileName().toString(), lineNo);
                if (event.isEmpty()) {
                    unparsed++;
                    if (named.incrementAndGet() <= 10) {
                        System.err.println("\n" + file + ":" + lineNo + ": not a " + format + " line, skipped");
                    }
                    continue;
                }
                numbers[events.size()] = lineNo;
                events.add(event.get());
                if (events.size() == CHUNK) {
                    chunks.put(new Chunk(events, numbers, read, unparsed, blank, false));
                    events = new ArrayList<>(CHUNK);
                    numbers = new long[CHUNK];
                    read = 0;
                    unparsed = 0;
                    blank = 0;
                }
            }
            chunks.put(new Chunk(events, numbers, read, unparsed, blank, true));
        }
    }

    /** The next chunk, or the reader's failure (an unreadable file) as this thread's. */
    private static Chunk take(java.util.concurrent.BlockingQueue<Chunk> chunks, java.util.concurrent.Future<?> reading)
            throws IOException, InterruptedException {
        while (true) {
            Chunk chunk = chunks.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (chunk != null) {
                return chunk;
            }
            if (reading.isDone()) {
                chunk = chunks.poll();
                if (chunk != null) {
                    return chunk;
                }
                try {
                    reading.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException("reading the file failed", e.getCause());
                }
                throw new IllegalStateException("the reader ended without the file's last chunk");
            }
        }
    }

    /**
     * Sends a chunk; accepted and rejected counts. The server's reasons for rejected lines are named
     * on the console with the file's line numbers, within the first ten of the whole import.
     */
    private static long[] send(HttpClient http, String url, String token, Chunk chunk, String file,
            java.util.concurrent.atomic.AtomicInteger named) throws IOException, InterruptedException {
        byte[] body = String.join("\n", chunk.events()).getBytes(StandardCharsets.UTF_8);
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode n = Json.MAPPER.readTree(r.body());
                for (JsonNode error : n.path("errors")) {
                    int at = error.path("line").asInt() - 1;
                    if (at >= 0 && at < chunk.events().size() && named.incrementAndGet() <= 10) {
                        System.err.println("\n" + file + ":" + chunk.lineNumbers()[at] + ": " + error.path("error").asText());
                    }
                }
                return new long[] {n.get("accepted").asLong(), n.get("rejected").asLong()};
            }
            if (r.statusCode() != 503 || attempt == 5) {
                throw new IllegalArgumentException("import failed with " + r.statusCode() + ": " + r.body());
            }
            Thread.sleep(1000L * attempt);
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
