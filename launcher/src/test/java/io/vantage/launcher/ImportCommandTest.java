package io.vantage.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/vantage import} against a stand-in for {@code POST /api/import}: what it sends, in which order, and what it reports. */
class ImportCommandTest {
    @TempDir
    Path dir;
    private HttpServer server;
    private final List<List<String>> bodies = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/import", exchange -> {
            List<String> lines = Arrays.asList(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
            synchronized (bodies) {
                bodies.add(lines);
            }
            byte[] answer = ("{\"accepted\":" + lines.size() + ",\"rejected\":0}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(Path file) throws Exception {
        return ImportCommand.run(new String[] {"--site", "s", "--format", "ndjson", "--url", "http://127.0.0.1:" + server.getAddress().getPort(),
            "--token", "t", file.toString()}, Map.of());
    }

    @Test
    void sendsEveryLineOnceInTheFilesOrderInChunksOfFiveThousand() throws Exception {
        // Given 12,001 lines: two full chunks and a last, partial one
        List<String> lines = IntStream.range(0, 12_001).mapToObj(i -> "{\"n\":" + i + "}").toList();
        Path file = Files.writeString(dir.resolve("events.ndjson"), String.join("\n", lines) + "\n");

        // When it is imported
        int code = run(file);

        // Then three requests carried them all, one after the other, in order
        assertThat(code).isZero();
        assertThat(bodies).extracting(List::size).containsExactly(5_000, 5_000, 2_001);
        assertThat(bodies.stream().flatMap(List::stream).collect(Collectors.toList())).isEqualTo(lines);
    }

    @Test
    void namesTheFirstTenBadLinesOfTheImportAndCountsThemAll() throws Exception {
        // Given an access log of 12,000 lines, every 400th not a log line: 30 bad lines across three chunks
        List<String> lines = IntStream.range(0, 12_000).mapToObj(i -> i % 400 == 399 ? "garbage " + i
                : "192.0.2." + (i % 250) + " - - [17/May/2015:10:05:03 +0000] \"GET /p" + i + " HTTP/1.1\" 200 100 \"-\" \"Mozilla/5.0\"").toList();
        Path file = Files.writeString(dir.resolve("access.log"), String.join("\n", lines) + "\n");

        // When it is imported
        Captured c = captured(() -> ImportCommand.run(new String[] {"--site", "s", "--format", "combined", "--url",
            "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "t", file.toString()}, Map.of()));

        // Then the first ten bad lines are named, every one is counted, and the rest were sent
        assertThat(c.code()).isZero();
        assertThat(c.err().lines().filter(l -> l.contains("not a COMBINED line"))).hasSize(10)
                .first().asString().contains("access.log:400:");
        assertThat(c.out()).contains(String.format("%,d lines read, %,d imported, %,d rejected", 12_000, 11_970, 30));
        assertThat(bodies.stream().mapToInt(List::size).sum()).isEqualTo(11_970);
    }

    @Test
    void anEmptyFileSendsNothingAndAMissingFileFails() throws Exception {
        assertThat(run(Files.writeString(dir.resolve("empty.ndjson"), ""))).isZero();
        assertThat(bodies).isEmpty();

        Captured missing = captured(() -> run(dir.resolve("missing.ndjson")));
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("error: no such file: ").contains("missing.ndjson").doesNotContain("Exception");
        assertThat(bodies).as("nothing sent").isEmpty();
    }

    @Test
    void aServerThatCannotBeReachedAndAMisspeltOptionAreOneLineErrors() throws Exception {
        Path file = Files.writeString(dir.resolve("one.ndjson"), "{\"n\":1}\n");
        int closed;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        int port = closed;

        Captured unreachable = captured(() -> ImportCommand.run(new String[] {"--site", "s", "--format", "ndjson", "--url",
            "http://127.0.0.1:" + port, "--token", "t", file.toString()}, Map.of()));
        Captured typo = captured(() -> ImportCommand.run(new String[] {"--site", "s", "--fromat", "clf", "--token", "t", file.toString()}, Map.of()));

        assertThat(unreachable.code()).isEqualTo(2);
        assertThat(unreachable.err()).contains("error: cannot reach the server").doesNotContain("\tat ");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown option --fromat");
    }

    @Test
    void blankLinesAreCountedAsSuchAndTheServersReasonsAreNamedWithTheFilesLineNumbers() throws Exception {
        // Given a server that refuses the second line of each request, and a file with a blank line before it
        server.removeContext("/api/import");
        server.createContext("/api/import", exchange -> {
            int n = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("\n").length;
            byte[] answer = ("{\"accepted\":" + (n - 1) + ",\"rejected\":1,\"errors\":[{\"line\":2,\"error\":\"type: is required\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        Path file = Files.writeString(dir.resolve("mixed.ndjson"), "{\"n\":1}\n\n{\"n\":2}\n{\"n\":3}\n");

        // When it is imported
        Captured c = captured(() -> run(file));

        // Then every line read is imported, rejected or blank, and the refused one is named by its line in the file
        assertThat(c.code()).isZero();
        assertThat(c.out()).contains("4 lines read, 2 imported, 1 rejected, 1 blank");
        assertThat(c.err()).contains("mixed.ndjson:3: type: is required");
    }

    @Test
    void anImportWhoseEveryLineIsRejectedExitsWithOne() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-log.txt"), "hello\nworld\n");

        Captured c = captured(() -> ImportCommand.run(new String[] {"--site", "s", "--format", "clf", "--url",
            "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "t", file.toString()}, Map.of()));

        assertThat(c.code()).isEqualTo(1);
        assertThat(c.out()).contains("2 lines read, 0 imported, 2 rejected");
        assertThat(c.err()).contains("every line was rejected");
    }

    private record Captured(int code, String out, String err) {
    }

    private interface Run {
        int run() throws Exception;
    }

    /** Runs the command with standard output and error captured. */
    private static Captured captured(Run run) throws Exception {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldErr = System.err;
        java.io.PrintStream oldOut = System.out;
        int code;
        try {
            System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            code = run.run();
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
