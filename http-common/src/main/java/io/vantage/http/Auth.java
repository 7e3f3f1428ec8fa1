package io.vantage.http;

import io.javalin.http.Context;
import io.vantage.model.Site;
import io.vantage.model.SiteRegistry;

/**
 * Bearer-token checks: the admin token may do everything, a site's read key may query that site.
 * Neither is held in clear: tokens are compared as SHA-256 hashes, in constant time.
 */
public final class Auth {
    private final String adminHash;
    private final SiteRegistry sites;

    public Auth(String adminToken, SiteRegistry sites) {
        if (adminToken == null || adminToken.length() < 16) {
            throw new IllegalArgumentException("the admin token must have at least 16 characters");
        }
        this.adminHash = Site.hash(adminToken);
        this.sites = sites;
    }

    public void requireAdmin(Context ctx) {
        String token = bearer(ctx);
        if (!isAdmin(token)) {
            throw new ApiException(token == null ? 401 : 403, token == null ? "unauthorized" : "forbidden",
                    "this needs the admin token in 'Authorization: Bearer <token>'", null);
        }
    }

    /** Whether the request carries the admin token. */
    public boolean isAdmin(Context ctx) {
        return isAdmin(bearer(ctx));
    }

    /** Admin or the site's read key; an unknown site is a 400 that names it (a 404 for an admin would leak nothing, but the contract asks 400). */
    public Site requireSiteReader(Context ctx, String siteId) {
        String token = bearer(ctx);
        if (token == null) {
            throw new ApiException(401, "unauthorized", "this needs the site's read key or the admin token in 'Authorization: Bearer <token>'", null);
        }
        Site site = sites.find(siteId).orElse(null);
        if (isAdmin(token)) {
            return site;
        }
        if (site == null || !site.readableWith(token)) {
            throw new ApiException(403, "forbidden", "the token may not read site '" + siteId + "'", null);
        }
        return site;
    }

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private boolean isAdmin(String token) {
        return token != null && Site.sameHash(Site.hash(token), adminHash);
    }
}
