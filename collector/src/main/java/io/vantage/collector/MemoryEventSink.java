package io.vantage.collector;

import io.vantage.model.BadEvent;
import io.vantage.model.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sink in memory, for tests: it keeps what it was sent and can be told to fail like a broker outage. */
public final class MemoryEventSink implements EventSink {
    public final List<Event> events = new CopyOnWriteArrayList<>();
    public final List<BadEvent> bad = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    private final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
    private volatile boolean holding;

    public void down(boolean isDown) {
        this.down = isDown;
    }

    /** From now on events are kept but not acknowledged until {@link #release()}, as a slow broker would. */
    public void hold() {
        holding = true;
    }

    /** Acknowledges every held send (on this thread, as a producer's I/O thread would) and stops holding. */
    public void release() {
        List<CompletableFuture<Void>> acks;
        synchronized (held) {
            holding = false;
            acks = List.copyOf(held);
            held.clear();
        }
        acks.forEach(f -> f.complete(null));
    }

    /** Sends not yet acknowledged. */
    public int held() {
        return held.size();
    }

    @Override
    public CompletableFuture<Void> send(List<Event> list) {
        if (down) {
            return CompletableFuture.failedFuture(new IllegalStateException("sink is down"));
        }
        events.addAll(list);
        synchronized (held) {
            if (holding) {
                CompletableFuture<Void> ack = new CompletableFuture<>();
                held.add(ack);
                return ack;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> sendBad(List<BadEvent> list) {
        if (down) {
            return CompletableFuture.failedFuture(new IllegalStateException("sink is down"));
        }
        bad.addAll(list);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean healthy() {
        return !down;
    }

    @Override
    public void close() {
    }
}
