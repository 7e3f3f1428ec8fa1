package io.vantage.collector.client;

import com.maxmind.db.CHMCache;
import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Reader;
import io.vantage.model.ClientFacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The country of the client IP from an IP-to-country MaxMind database (the bundled
 * {@code geo-country.mmdb}, from the CC0 ip-location-db project). Without a database, or for an
 * address it does not know, the country is {@code Unknown}. The IP is never stored.
 */
public final class Countries {
    static final String RESOURCE = "/vantage/geo-country.mmdb";
    private static final Logger LOGGER = LoggerFactory.getLogger(Countries.class);
    private final Reader reader;

    /** A record of the database: {@code country_code}. */
    public record Country(@MaxMindDbParameter(name = "country_code") String countryCode) {
        @MaxMindDbConstructor
        public Country {
        }
    }

    public Countries(Reader reader) {
        this.reader = reader;
    }

    /** With the bundled database, or none when the build could not fetch it. */
    public static Countries fromBundledDatabase() {
        try (InputStream in = Countries.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                LOGGER.warn("no IP-to-country database on the classpath ({}); countries will be Unknown", RESOURCE);
                return new Countries(null);
            }
            // A cache of decoded records (by their place in the file): a country's record is decoded
            // once, not on every lookup, which took 9% of an import request's time (JFR).
            return new Countries(new Reader(in, new CHMCache()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The country code of a literal IP address; {@link ClientFacts#UNKNOWN} for a host name or an unknown address. */
    public String country(String ip) {
        InetAddress address = reader == null ? null : IpLiterals.parse(ip);
        if (address == null) {
            return ClientFacts.UNKNOWN;
        }
        try {
            Country c = reader.get(address, Country.class);
            return c == null || c.countryCode() == null ? ClientFacts.UNKNOWN : c.countryCode();
        } catch (IOException e) {
            throw new UncheckedIOException("IP-to-country database unreadable", e);
        }
    }
}
