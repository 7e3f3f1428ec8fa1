package io.vantage.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A registry held in memory only: for tests, and the cache behind {@link KafkaSiteRegistry}. */
public class InMemorySiteRegistry implements SiteRegistry {
    private final Map<String, Site> sites = new ConcurrentHashMap<>();

    @Override
    public Optional<Site> find(String id) {
        return Optional.ofNullable(id == null ? null : sites.get(id));
    }

    @Override
    public List<Site> all() {
        List<Site> list = new ArrayList<>(sites.values());
        list.sort(Comparator.comparing(Site::id));
        return list;
    }

    @Override
    public Site create(Site site) {
        if (sites.putIfAbsent(site.id(), site) != null) {
            throw new SiteExistsException(site.id());
        }
        return site;
    }

    @Override
    public Site update(Site site) {
        if (sites.replace(site.id(), site) == null) {
            throw new java.util.NoSuchElementException("no site '" + site.id() + "'");
        }
        return site;
    }

    /** Applies a record of the sites topic: a site, or a deletion when {@code site} is null. */
    void apply(String id, Site site) {
        if (site == null) {
            sites.remove(id);
        } else {
            sites.put(id, site);
        }
    }
}
