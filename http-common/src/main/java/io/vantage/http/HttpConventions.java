package io.vantage.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.vantage.model.Json;
import io.vantage.model.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conventions every Vantage HTTP server shares: the project's JSON mapping, and every failure
 * mapped in one place to the contract's JSON error with the right status.
 */
public final class HttpConventions {
    private static final Logger LOGGER = LoggerFactory.getLogger(HttpConventions.class);
    /** Seconds a client should wait before retrying after a 503. */
    public static final int RETRY_AFTER_SECONDS = 5;
    private static final String ANSWERED = "vantage.error-answered";

    private HttpConventions() {
    }

    public static void apply(JavalinConfig cfg, long maxRequestBytes) {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.http.maxRequestSize = maxRequestBytes;
        // What Jetty answers itself (a URI or headers too long, a malformed request line) is the
        // contract's JSON error too, not an HTML page.
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        cfg.routes.exception(ApiException.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
            } else if (e.status() == 503) {
                ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            }
            answer(ctx, e.status(), e.code(), e.getMessage(), e.field());
        });
        cfg.routes.exception(StorageUnavailableException.class, (e, ctx) -> {
            ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            answer(ctx, 503, "unavailable", e.getMessage(), null);
        });
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
            String code = e.getStatus() == 413 ? "too_large" : "http_" + e.getStatus();
            String message = e.getStatus() == 413
                    ? "request body is larger than " + maxRequestBytes + " bytes" : e.getMessage();
            answer(ctx, e.getStatus(), code, message, null);
        });
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            LOGGER.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            answer(ctx, 500, "internal", "unexpected server error: " + e.getClass().getSimpleName(), null);
        });
        cfg.routes.error(HttpStatus.NOT_FOUND, ctx -> {
            if (ctx.attribute(ANSWERED) == null) {
                answer(ctx, 404, "not_found", "no route " + ctx.method() + " " + ctx.path(), null);
            }
        });
    }

    /** Jetty's own errors as {@code {"error": "http_414", "message": ...}}. */
    static final class JsonErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
        @Override
        protected void generateResponse(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                        int code, String message, Throwable cause, org.eclipse.jetty.util.Callback callback) {
            String text = message == null || message.isBlank() ? org.eclipse.jetty.http.HttpStatus.getMessage(code) : message;
            byte[] body;
            try {
                body = Json.MAPPER.writeValueAsBytes(new ErrorBody(code == 414 ? "uri_too_long" : "http_" + code, text, null));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                body = ("{\"error\":\"http_" + code + "\",\"message\":\"request refused\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, java.nio.ByteBuffer.wrap(body), callback);
        }
    }

    /**
     * The request body, at most {@code limit} bytes: refused by its declared length before reading,
     * and while reading when it declares none (a chunked body), so no route buffers more than its own limit.
     */
    public static byte[] body(Context ctx, long limit) {
        if (ctx.contentLength() > limit) {
            throw new ApiException(413, "too_large", "body is larger than " + limit + " bytes", null);
        }
        try (java.io.InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw new ApiException(413, "too_large", "body is larger than " + limit + " bytes", null);
            }
            return bytes;
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("unreadable_body", "the body could not be read: " + e.getMessage());
        }
    }

    public static void answer(Context ctx, int status, String code, String message, String field) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(status).json(new ErrorBody(code, message, field));
    }
}
