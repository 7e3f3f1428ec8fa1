package io.vantage.http;

import io.javalin.http.Context;
import io.vantage.model.StorageUnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a request from a future, mapping its failure to the contract's JSON error like a thrown one. */
public final class Responses {
    private static final Logger LOGGER = LoggerFactory.getLogger(Responses.class);

    private Responses() {
    }

    public static <T> void async(Context ctx, CompletableFuture<T> result, BiConsumer<Context, T> onSuccess) {
        ctx.future(() -> result.handle((value, error) -> {
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
        }));
    }
}
