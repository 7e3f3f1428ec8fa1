package io.vantage.collector;

/**
 * The cookieless salts: one random secret per UTC day, the same in every collector.
 */
@FunctionalInterface
public interface DailySalts {
    /**
     * The salt of {@code day} (days since 1970-01-01, UTC).
     *
     * @throws io.vantage.model.StorageUnavailableException when it is not known (yet, or any more)
     */
    byte[] saltOf(long day);
}
