package io.vantage.http;

import io.javalin.http.Context;
import io.vantage.model.StorageUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a request from a future, mapping its failure to the contract's JSON error like a thrown one. */
public final class Responses {
    private static final Logger LOGGER = LoggerFactory.getLogger(Responses.class);
    /**
     * Writes answers whose futures complete on another library's I/O thread (the Kafka producer's
     * sender completes every ack): writing the response there would hold that thread, and with it
     * every other request's ack, for the time of a socket write (measured: p50 20 ms at 2,300 req/s
     * instead of a few ms).
     */
    private static final Executor ANSWERS = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "http-answer");
        t.setDaemon(true);
        return t;
    });

    private Responses() {
    }

    /**
     * Answers a request on its own server thread once {@code result} completes: cheaper per request
     * than an asynchronous servlet dispatch (measured on {@code POST /collect}), at the price of a
     * server thread per request in flight, which a Kafka acknowledgement holds for a few
     * milliseconds and an outage for at most {@code timeout}.
     */
    public static <T> void await(Context ctx, CompletableFuture<T> result, Duration timeout, BiConsumer<Context, T> onSuccess) {
        T value;
        try {
            value = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while waiting for Kafka", e);
        } catch (TimeoutException e) {
            throw new StorageUnavailableException("Kafka did not acknowledge the events in time; retry later", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
        onSuccess.accept(ctx, value);
    }

    public static <T> void async(Context ctx, CompletableFuture<T> result, BiConsumer<Context, T> onSuccess) {
        ctx.future(() -> result.handleAsync((value, error) -> {
            if (error == null) {
                onSuccess.accept(ctx, value);
                return null;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof ApiException api) {
                if (api.status() == 503) {
                    ctx.header("Retry-After", String.valueOf(HttpConventions.RETRY_AFTER_SECONDS));
                }
                HttpConventions.answer(ctx, api.status(), api.code(), api.getMessage(), api.field());
            } else if (cause instanceof StorageUnavailableException) {
                ctx.header("Retry-After", String.valueOf(HttpConventions.RETRY_AFTER_SECONDS));
                HttpConventions.answer(ctx, 503, "unavailable", cause.getMessage(), null);
            } else {
                LOGGER.error("unexpected failure on {} {}", ctx.method(), ctx.path(), cause);
                HttpConventions.answer(ctx, 500, "internal", "unexpected server error: " + cause.getClass().getSimpleName(), null);
            }
            return null;
        }, ANSWERS));
    }
}
