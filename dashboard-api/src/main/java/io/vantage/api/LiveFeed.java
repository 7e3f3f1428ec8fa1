package io.vantage.api;

import io.javalin.http.sse.SseClient;
import io.vantage.model.Json;
import io.vantage.model.Site;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes dashboards their site's news as server-sent events ({@code event: update}, data
 * {@code {"realtime_visitors": n, "changed": true|false}}). Every {@link #TICK_MS} ms it looks at
 * how many events the cluster has counted (an event is in the stores before it is counted); when
 * that moved, every watched site gets an update with {@code changed: true}, on which the page re-runs
 * its queries (events of a batch counted after a look move the count again by the next one). Without
 * news a heartbeat every {@link #HEARTBEAT_MS} ms carries the realtime visitors (who drop off
 * after 5 minutes without events) and keeps proxies from closing the stream. One ticker thread
 * serves all streams; nothing runs while nobody watches.
 */
public final class LiveFeed implements AutoCloseable {
    static final long TICK_MS = 100;
    static final long HEARTBEAT_MS = 15_000;
    private static final Logger LOGGER = LoggerFactory.getLogger(LiveFeed.class);

    private final LongSupplier counted;
    private final ToLongFunction<Site> realtimeVisitors;
    private final Map<String, Watched> sites = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vantage-live-feed");
        t.setDaemon(true);
        return t;
    });
    private long lastCounted = -1;
    private long lastHeartbeat;

    private record Watched(Site site, Set<SseClient> clients) {
    }

    /** {@code counted}: events counted across the cluster; {@code realtimeVisitors}: a site's visitors of the last 5 minutes. */
    public LiveFeed(LongSupplier counted, ToLongFunction<Site> realtimeVisitors) {
        this.counted = counted;
        this.realtimeVisitors = realtimeVisitors;
        ticker.scheduleWithFixedDelay(this::tickSafely, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Keeps the client's stream open and sends it an update now and whenever there is news. */
    public void subscribe(Site site, SseClient client) {
        Watched w = sites.computeIfAbsent(site.id(), id -> new Watched(site, ConcurrentHashMap.newKeySet()));
        w.clients().add(client);
        client.onClose(() -> w.clients().remove(client));
        client.keepAlive();
        send(client, update(site, false));
    }

    /** Streams open now, over all sites. */
    public int watchers() {
        return sites.values().stream().mapToInt(w -> w.clients().size()).sum();
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            // A rebalance or an unreachable peer: the next tick tries again; the page keeps its numbers.
            LOGGER.debug("live feed tick failed: {}", e.toString());
        }
    }

    void tick() {
        sites.values().removeIf(w -> w.clients().isEmpty());
        if (sites.isEmpty()) {
            return;
        }
        long now = counted.getAsLong();
        boolean changed = lastCounted >= 0 && now != lastCounted;
        lastCounted = now;
        long time = System.currentTimeMillis();
        if (!changed && time - lastHeartbeat < HEARTBEAT_MS) {
            return;
        }
        lastHeartbeat = time;
        for (Watched w : sites.values()) {
            String data = update(w.site(), changed);
            for (SseClient c : w.clients()) {
                send(c, data);
            }
        }
    }

    private String update(Site site, boolean changed) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("realtime_visitors", realtimeVisitors.applyAsLong(site));
        out.put("changed", changed);
        try {
            return Json.MAPPER.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(SseClient client, String data) {
        if (!client.terminated()) {
            client.sendEvent("update", data);
        }
    }

    @Override
    public void close() {
        // The streams end with the HTTP server, which closes their connections.
        ticker.shutdownNow();
    }
}
