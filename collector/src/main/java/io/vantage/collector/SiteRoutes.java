package io.vantage.collector;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.vantage.http.ApiException;
import io.vantage.http.Auth;
import io.vantage.http.HttpModule;
import io.vantage.model.Site;
import io.vantage.model.SiteRegistry;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code POST/GET /api/sites}, {@code GET /api/sites/{id}} and the read keys of a site
 * ({@code POST /api/sites/{id}/read-keys} makes one, {@code DELETE .../read-keys/{key}} revokes it).
 * A read key is shown once, in the answer that makes it; after that only its id is.
 */
public final class SiteRoutes implements HttpModule {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_BODY_BYTES = 16 * 1024;
    private final SiteRegistry sites;
    private final Auth auth;

    public SiteRoutes(SiteRegistry sites, Auth auth) {
        this.sites = sites;
        this.auth = auth;
    }

    /** The body of {@code POST /api/sites}. */
    record NewSite(String id, String domain, String timezone, List<String> goals, Integer sessionTimeoutMinutes,
                   List<String> allowedDomains, Integer retentionDays, List<String> aliases) {
    }

    /** The fields of {@code POST /api/sites}. */
    private static final List<String> SETTINGS = List.of("id", "domain", "timezone", "goals", "session_timeout_minutes", "allowed_domains",
            "retention_days", "aliases");

    /** The body of {@code PATCH /api/sites/{id}}: the settings to change; a field left out keeps its value. */
    private static final List<String> CHANGEABLE = List.of("goals", "session_timeout_minutes", "allowed_domains", "retention_days",
            "aliases");

    record SiteChange(List<String> goals, Integer sessionTimeoutMinutes, List<String> allowedDomains, Integer retentionDays,
                      List<String> aliases) {
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.post("/api/sites", this::create);
        cfg.routes.get("/api/sites", ctx -> {
            auth.requireAdmin(ctx);
            ctx.json(sites.all().stream().map(site -> view(site, null)).toList());
        });
        cfg.routes.get("/api/sites/{id}", ctx -> {
            String id = ctx.pathParam("id");
            Site site = auth.requireSiteReader(ctx, id);
            if (site == null) {
                throw ApiException.notFound("unknown_site", "no site '" + id + "'");
            }
            ctx.json(view(site, null));
        });
        cfg.routes.patch("/api/sites/{id}", this::change);
        cfg.routes.post("/api/sites/{id}/read-keys", ctx -> {
            auth.requireAdmin(ctx);
            Site site = existing(ctx.pathParam("id"));
            String key = newReadKey();
            Site.ReadKey made = readKey(nextKeyId(site), key);
            List<Site.ReadKey> keys = new java.util.ArrayList<>(site.readKeys());
            keys.add(made);
            sites.update(site.withReadKeys(keys));
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>(keyView(made));
            out.put("read_key", key);
            ctx.status(201).json(out);
        });
        cfg.routes.delete("/api/sites/{id}/read-keys/{key}", ctx -> {
            auth.requireAdmin(ctx);
            Site site = existing(ctx.pathParam("id"));
            String keyId = ctx.pathParam("key");
            List<Site.ReadKey> kept = site.readKeys().stream().filter(k -> !k.id().equals(keyId)).toList();
            if (kept.size() == site.readKeys().size()) {
                throw ApiException.notFound("unknown_read_key", "site '" + site.id() + "' has no read key '" + keyId + "'");
            }
            sites.update(site.withReadKeys(kept));
            ctx.status(204);
        });
    }

    private Site existing(String id) {
        return sites.find(id).orElseThrow(() -> ApiException.notFound("unknown_site", "no site '" + id + "'"));
    }

    /** k1, k2, ...: one more than the highest id the site ever showed (a revoked id is not given again while a later one lives). */
    private static String nextKeyId(Site site) {
        int max = 0;
        for (Site.ReadKey k : site.readKeys()) {
            if (k.id().matches("k\\d{1,9}")) {
                max = Math.max(max, Integer.parseInt(k.id().substring(1)));
            }
        }
        return "k" + (max + 1);
    }

    /** A site as the API shows it: read keys by id and date, never their hashes; {@code newKey} in clear once, when made. */
    static java.util.Map<String, Object> view(Site site, String newKey) {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("id", site.id());
        out.put("domain", site.domain());
        out.put("timezone", site.timezone());
        out.put("goals", site.goals());
        out.put("session_timeout_minutes", site.sessionTimeoutMinutes());
        out.put("allowed_domains", site.allowedDomains());
        // 0: everything is kept
        out.put("retention_days", site.retentionDays());
        // what the compatibility routes also find the site by (a Umami website id, a PostHog key, ...)
        out.put("aliases", site.aliases());
        if (newKey != null) {
            out.put("read_key", newKey);
        }
        out.put("read_keys", site.readKeys().stream().map(SiteRoutes::keyView).toList());
        return out;
    }

    /** A read key as the API shows it: its id and when it was made. */
    private static java.util.Map<String, Object> keyView(Site.ReadKey key) {
        return java.util.Map.of("id", key.id(), "created", java.time.Instant.ofEpochMilli(key.created()).toString());
    }

    /** A read key made now, held as its hash. */
    private static Site.ReadKey readKey(String id, String key) {
        return new Site.ReadKey(id, Site.hash(key), System.currentTimeMillis());
    }

    private void create(Context ctx) {
        auth.requireAdmin(ctx);
        NewSite body;
        try {
            com.fasterxml.jackson.databind.JsonNode tree = io.vantage.model.Json.MAPPER.readTree(
                    io.vantage.http.HttpConventions.body(ctx, MAX_BODY_BYTES));
            if (tree != null && tree.isObject()) {
                // A misspelt setting ("timzone") would otherwise be dropped in silence and the site made without it.
                for (String name : (Iterable<String>) tree::fieldNames) {
                    if (!SETTINGS.contains(name)) {
                        throw ApiException.invalidField(name, "is not a site setting; settings: " + String.join(", ", SETTINGS));
                    }
                }
            }
            body = io.vantage.model.Json.MAPPER.treeToValue(tree, NewSite.class);
        } catch (ApiException e) {
            throw e;
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw wrongType(e, "the body must be a JSON object like {\"id\": \"example\", \"domain\": \"example.com\"}");
        } catch (Exception e) {
            throw ApiException.badRequest("invalid_json", "the body must be a JSON object like {\"id\": \"example\", \"domain\": \"example.com\"}");
        }
        if (body == null || body.id() == null || !Site.ID.matcher(body.id()).matches()) {
            throw ApiException.invalidField("id", "is required: 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        if (body.domain() == null || body.domain().isBlank()) {
            throw ApiException.invalidField("domain", "is required, e.g. \"example.com\"");
        }
        if (body.timezone() != null && !Site.isValidZone(body.timezone())) {
            throw ApiException.invalidField("timezone", "'" + body.timezone() + "' is not a time zone; use an IANA name like Europe/Berlin");
        }
        validate(body.goals(), body.sessionTimeoutMinutes(), body.allowedDomains(), body.retentionDays());
        if (body.domain().length() > 253) {
            throw ApiException.invalidField("domain", "is longer than 253 characters");
        }
        String key = newReadKey();
        Site site = new Site(body.id(), body.domain().strip(), body.timezone(), body.goals(),
                List.of(readKey("k1", key)),
                body.sessionTimeoutMinutes() == null ? 0 : body.sessionTimeoutMinutes(), body.allowedDomains(),
                body.retentionDays() == null ? 0 : body.retentionDays(), body.aliases());
        Site created;
        // Checked and written under the registry's lock, so two requests on this instance cannot both take one identifier.
        synchronized (sites) {
            if (sites.find(body.id()).isEmpty()) {
                // A peer's tracker names a site by id, then alias, then domain: a new site must not take what names another.
                claimed(body.id(), "id", body.id(), false);
                claimed(body.id(), "domain", body.domain(), true);
            }
            validateAliases(body.id(), body.aliases());
            try {
                created = sites.create(site);
            } catch (SiteRegistry.SiteExistsException e) {
                throw new ApiException(409, "site_exists", e.getMessage(), "id");
            }
        }
        ctx.status(201).json(view(created, key));
    }

    /** Changes a site's settings; what the body leaves out is kept. */
    private void change(Context ctx) {
        auth.requireAdmin(ctx);
        Site site = existing(ctx.pathParam("id"));
        SiteChange body;
        try {
            com.fasterxml.jackson.databind.JsonNode tree = io.vantage.model.Json.MAPPER.readTree(
                    io.vantage.http.HttpConventions.body(ctx, MAX_BODY_BYTES));
            if (tree == null || !tree.isObject()) {
                throw ApiException.badRequest("invalid_json", "the body must be a JSON object like {\"retention_days\": 90}");
            }
            for (String name : (Iterable<String>) tree::fieldNames) {
                if (!CHANGEABLE.contains(name)) {
                    throw ApiException.invalidField(name, "cannot be changed; changeable: " + String.join(", ", CHANGEABLE));
                }
            }
            body = io.vantage.model.Json.MAPPER.treeToValue(tree, SiteChange.class);
        } catch (ApiException e) {
            throw e;
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw wrongType(e, "the body must be a JSON object like {\"retention_days\": 90}");
        } catch (Exception e) {
            throw ApiException.badRequest("invalid_json", "the body must be a JSON object like {\"retention_days\": 90}");
        }
        validate(body.goals(), body.sessionTimeoutMinutes(), body.allowedDomains(), body.retentionDays());
        Site changed = new Site(site.id(), site.domain(), site.timezone(), body.goals() == null ? site.goals() : body.goals(),
                site.readKeys(), body.sessionTimeoutMinutes() == null ? site.sessionTimeoutMinutes() : body.sessionTimeoutMinutes(),
                body.allowedDomains() == null ? site.allowedDomains() : body.allowedDomains(),
                body.retentionDays() == null ? site.retentionDays() : body.retentionDays(),
                body.aliases() == null ? site.aliases() : body.aliases());
        Site updated;
        synchronized (sites) {
            validateAliases(site.id(), body.aliases());
            updated = sites.update(changed);
        }
        ctx.json(view(updated, null));
    }

    /** Aliases: 1-128 printable characters each, at most 20, and none another site answers to. */
    private void validateAliases(String siteId, List<String> aliases) {
        if (aliases == null) {
            return;
        }
        if (aliases.size() > 20 || aliases.stream().anyMatch(a -> a == null || a.isBlank() || a.length() > 128 || !a.matches("[\\x21-\\x7E]+"))) {
            throw ApiException.invalidField("aliases", "must be a list of at most 20 identifiers of 1-128 printable characters without spaces");
        }
        for (String alias : aliases) {
            claimed(siteId, "aliases", alias, false);
        }
    }

    /**
     * Refuses {@code identifier} as {@code field} of site {@code siteId} when it already names
     * another site: that site's id or one of its aliases, which a peer's tracker finds before any
     * domain, or (but for a domain, which may be shared) that site's domain. Compared as the peers'
     * routes resolve them (PeerSites): case and a leading {@code www.} ignored.
     */
    private void claimed(String siteId, String field, String identifier, boolean isDomain) {
        String mine = PeerSites.bare(identifier);
        for (Site other : sites.all()) {
            if (other.id().equals(siteId)) {
                continue;
            }
            boolean names = PeerSites.bare(other.id()).equals(mine) || other.aliases().stream().anyMatch(a -> PeerSites.bare(a).equals(mine))
                    || (!isDomain && other.domain() != null && PeerSites.bare(other.domain()).equals(mine));
            if (names) {
                throw ApiException.invalidField(field, "'" + identifier + "' already names site '" + other.id() + "'");
            }
        }
    }

    /** A field of the wrong JSON type (a string where a list belongs), named by its path in the body. */
    private static ApiException wrongType(com.fasterxml.jackson.databind.exc.MismatchedInputException e, String otherwise) {
        String field = e.getPath().stream().map(com.fasterxml.jackson.databind.JsonMappingException.Reference::getFieldName)
                .filter(java.util.Objects::nonNull).reduce((a, b) -> a + "." + b).orElse(null);
        if (field == null) {
            return ApiException.badRequest("invalid_json", otherwise);
        }
        Class<?> type = e.getTargetType();
        String expected = type == null ? "another type"
                : java.util.Collection.class.isAssignableFrom(type) ? "a list of strings"
                : Number.class.isAssignableFrom(type) || type.isPrimitive() ? "a whole number"
                : type == String.class ? "a string" : "another type";
        return ApiException.invalidField(field, "has the wrong type: must be " + expected);
    }

    /** The checks shared by creating and changing a site; a null field is not checked. */
    private static void validate(List<String> goals, Integer sessionTimeoutMinutes, List<String> allowedDomains, Integer retentionDays) {
        if (sessionTimeoutMinutes != null && (sessionTimeoutMinutes < 1 || sessionTimeoutMinutes > 24 * 60)) {
            throw ApiException.invalidField("session_timeout_minutes", "must be between 1 and 1440");
        }
        if (goals != null && goals.stream().anyMatch(g -> g == null || g.isBlank() || g.length() > 256)) {
            throw ApiException.invalidField("goals", "must be a list of event names of 1-256 characters");
        }
        if (allowedDomains != null && allowedDomains.stream()
                .anyMatch(d -> d == null || d.isBlank() || d.length() > 253 || !d.strip().matches("[A-Za-z0-9.-]+"))) {
            throw ApiException.invalidField("allowed_domains", "must be a list of host names like \"example.com\"");
        }
        if (retentionDays != null && (retentionDays < 0 || retentionDays > Site.MAX_RETENTION_DAYS)) {
            throw ApiException.invalidField("retention_days", "must be between 1 and " + Site.MAX_RETENTION_DAYS + ", or 0 to keep everything");
        }
    }

    private static String newReadKey() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return "rk_" + HexFormat.of().formatHex(bytes);
    }
}
