package io.vantage.http;

import io.javalin.config.JavalinConfig;
import io.vantage.model.Json;
import io.vantage.model.StorageUnavailableException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST routes served on Jetty's own asynchronous API, ahead of Javalin's servlet (which serves
 * every other route and method of the server): a beacon's request is read, handed to its route and
 * left; the answer is written by whichever thread completes the route's future (the Kafka producer's,
 * once it acknowledged the events), so no server thread waits for Kafka.
 *
 * <p>Why: with a blocking handler every request in flight holds a server thread parked on its
 * acknowledgement, and each acknowledgement wakes one; on 2 shared cores those hand-offs, not the
 * beacon's own work, kept {@code POST /collect} at a third of the bare endpoint's rate (measured:
 * docs/benchmarks.md). Errors keep the contract's JSON shape ({@link ErrorBody}), as
 * {@link HttpConventions} answers them on Javalin's routes.
 */
public final class DirectRoutes extends Handler.Wrapper {
    private static final Logger LOGGER = LoggerFactory.getLogger(DirectRoutes.class);

    /** A request as a direct route sees it: the headers it reads, the client's address and the whole body. */
    public interface DirectRequest {
        String header(String name);

        /** The first value of a query parameter, or null. */
        String queryParam(String name);

        /** The raw query string, or null. */
        String queryString();

        String remoteAddress();

        byte[] body();
    }

    /** What a direct route answers: a status, and a body of {@code contentType} (none when null). */
    public record Answer(int status, String contentType, byte[] body) {
        public static Answer json(int status, Object value) {
            try {
                return new Answer(status, "application/json", Json.MAPPER.writeValueAsBytes(value));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        public static Answer text(int status, String text) {
            return new Answer(status, "text/plain; charset=utf-8", text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** A status without a body (204). */
        public static Answer empty(int status) {
            return new Answer(status, null, new byte[0]);
        }

        /** Writes this answer (and {@code headers}) on a Javalin route. */
        public void writeTo(io.javalin.http.Context ctx, Map<String, String> headers) {
            headers.forEach(ctx::header);
            ctx.status(status);
            if (contentType != null) {
                ctx.contentType(contentType).result(body);
            }
        }
    }

    /**
     * A direct route: the answer's future, or an exception thrown or completed with. Work after an
     * acknowledgement belongs on {@link #writers()} ({@code thenApplyAsync(..., writers())}), not on
     * the thread that completed it.
     */
    public interface Route {
        CompletionStage<Answer> handle(DirectRequest request, Map<String, String> responseHeaders);
    }

    /**
     * What every answer of a route carries, refusals of its body included (CORS): set from the
     * request's path and headers before the body is read.
     */
    public interface Preamble {
        void apply(String path, java.util.function.Function<String, String> requestHeader, Map<String, String> responseHeaders);
    }

    /** The threads that answer direct routes; a route's own work after an acknowledgement runs here too. */
    public static java.util.concurrent.Executor writers() {
        return WRITERS;
    }

    private static final String WRITER = "http-direct-answer";
    private static final java.util.concurrent.Executor WRITERS = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, WRITER);
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Route> posts;
    private final long maxBodyBytes;
    private final Preamble preamble;

    private DirectRoutes(Map<String, Route> posts, long maxBodyBytes, Preamble preamble) {
        this.posts = Map.copyOf(posts);
        this.maxBodyBytes = maxBodyBytes;
        this.preamble = preamble;
    }

    /**
     * Serves {@code posts} (path → route) on this server ahead of its Javalin routes, with bodies of
     * at most {@code maxBodyBytes}, every answer with the headers {@code preamble} sets.
     */
    public static void install(JavalinConfig cfg, Map<String, Route> posts, long maxBodyBytes, Preamble preamble) {
        cfg.jetty.modifyServer(server -> {
            // Innermost of the server's wrappers (Javalin's StatisticsHandler, which graceful stops wait on, stays in front);
            // Javalin then puts its servlet inside this, the innermost wrapper it finds.
            Handler.Singleton at = server;
            while (at.getHandler() instanceof Handler.Wrapper inner) {
                at = inner;
            }
            if (at.getHandler() != null) {
                throw new IllegalStateException("the server already has a handler that is not a wrapper: " + at.getHandler());
            }
            at.setHandler(new DirectRoutes(posts, maxBodyBytes, preamble));
        });
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = withoutTrailingSlash(Request.getPathInContext(request));
        Route route = "POST".equals(request.getMethod()) ? posts.get(path) : null;
        if (route == null) {
            return super.handle(request, response, callback);
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>(4);
        preamble.apply(path, name -> header(request, name), headers);
        if (request.getLength() > maxBodyBytes) {
            answer(response, callback, error(tooLarge()), headers);
            return true;
        }
        Content.Source.asByteArrayAsync(request, (int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes)).whenComplete((body, readError) -> {
            try {
                if (readError != null) {
                    Throwable cause = readError instanceof CompletionException && readError.getCause() != null ? readError.getCause() : readError;
                    // Jetty refuses a body past the size asked for with an IllegalStateException("Max size (N) exceeded")
                    boolean oversize = cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).startsWith("Max size");
                    answer(response, callback, error(oversize ? tooLarge()
                            : ApiException.badRequest("unreadable_body", "the body could not be read: " + cause.getMessage())), headers);
                    return;
                }
                CompletionStage<Answer> answer;
                try {
                    answer = java.util.Objects.requireNonNull(route.handle(new Incoming(request, body), headers), "a route answered null");
                } catch (RuntimeException e) {
                    answer = CompletableFuture.failedFuture(e);
                }
                boolean done = answer.toCompletableFuture().isDone();
                answer.whenComplete((a, failure) -> {
                    // Already done (a refusal before anything was sent): on this server thread. Else on a writer thread.
                    if (done || WRITER.equals(Thread.currentThread().getName())) {
                        write(request, response, callback, a, failure, headers);
                    } else {
                        // Not on the completing thread, the Kafka producer's: a socket write there would hold every other acknowledgement.
                        WRITERS.execute(() -> write(request, response, callback, a, failure, headers));
                    }
                });
            } catch (Throwable t) {
                LOGGER.error("unexpected failure on POST {}", path, t);
                callback.failed(t);
            }
        });
        return true;
    }

    private static void write(Request request, Response response, Callback callback, Answer a, Throwable failure, Map<String, String> headers) {
        try {
            answer(response, callback, failure == null ? a : error(failure, request, headers), headers);
        } catch (Throwable t) {
            LOGGER.error("unexpected failure answering POST {}", Request.getPathInContext(request), t);
            callback.failed(t);
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, "too_large", "body is larger than " + maxBodyBytes + " bytes", null);
    }

    private static String header(Request request, String name) {
        HttpField field = request.getHeaders().getField(name);
        return field == null ? null : field.getValue();
    }

    /** As Javalin routes it ({@code ignoreTrailingSlashes}): {@code /collect/} is {@code /collect}. */
    private static String withoutTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static void answer(Response response, Callback callback, Answer answer, Map<String, String> headers) {
        try {
            response.setStatus(answer.status());
            headers.forEach((name, value) -> response.getHeaders().put(name, value));
            if (answer.contentType() == null) {
                response.write(true, null, callback);
                return;
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        } catch (RuntimeException e) {
            callback.failed(e);
        }
    }

    private static Answer error(Throwable failure, Request request, Map<String, String> headers) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ApiException api) {
            if (api.retryAfterSeconds() > 0) {
                headers.put("Retry-After", String.valueOf(api.retryAfterSeconds()));
            } else if (api.status() == 503) {
                headers.put("Retry-After", String.valueOf(HttpConventions.RETRY_AFTER_SECONDS));
            }
            return error(api);
        }
        if (cause instanceof StorageUnavailableException) {
            headers.put("Retry-After", String.valueOf(HttpConventions.RETRY_AFTER_SECONDS));
            return Answer.json(503, new ErrorBody("unavailable", cause.getMessage(), null));
        }
        LOGGER.error("unexpected failure on POST {}", Request.getPathInContext(request), cause);
        return Answer.json(500, new ErrorBody("internal", "unexpected server error: " + cause.getClass().getSimpleName(), null));
    }

    private static Answer error(ApiException api) {
        return Answer.json(api.status(), new ErrorBody(api.code(), api.getMessage(), api.field()));
    }

    private record Incoming(Request request, byte[] body) implements DirectRequest {
        @Override
        public String header(String name) {
            return DirectRoutes.header(request, name);
        }

        @Override
        public String queryParam(String name) {
            return Request.extractQueryParameters(request).getValue(name);
        }

        @Override
        public String queryString() {
            return request.getHttpURI().getQuery();
        }

        @Override
        public String remoteAddress() {
            return Request.getRemoteAddr(request);
        }
    }
}
