package io.vantage.collector;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Daily salts of one process, random per day, for tests without Kafka. */
final class RandomSalts implements DailySalts {
    private final Map<Long, byte[]> salts = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    @Override
    public byte[] saltOf(long day) {
        return salts.computeIfAbsent(day, d -> {
            byte[] b = new byte[32];
            random.nextBytes(b);
            return b;
        });
    }
}
