package io.vantage.model;

import java.util.List;
import java.util.Optional;

/** The sites every instance knows; backed durably by the compacted {@link Topics#SITES} topic. */
public interface SiteRegistry {
    Optional<Site> find(String id);

    List<Site> all();

    /** The site listing {@code identifier} among its aliases (see {@link Site#hasAlias}). */
    default Optional<Site> findByAlias(String identifier) {
        return all().stream().filter(s -> s.hasAlias(identifier)).findFirst();
    }

    /**
     * Stores a new site durably.
     *
     * @throws SiteExistsException when a site with that id exists
     */
    Site create(Site site);

    /**
     * Replaces a site durably (its read keys, say).
     *
     * @throws java.util.NoSuchElementException when there is no site with that id
     */
    Site update(Site site);

    /** Thrown when a site id is taken. */
    final class SiteExistsException extends RuntimeException {
        public SiteExistsException(String id) {
            super("site '" + id + "' exists");
        }
    }
}
