package io.vantage.collector.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses IP address literals, and nothing else: {@link InetAddress#getByName} would look up
 * anything that is not a valid literal (a log's host name, a forged {@code X-Forwarded-For}
 * entry such as {@code 999.1.1.1}) in DNS, from a request thread.
 */
public final class IpLiterals {
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern V4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");
    // With a colon, the JDK parses it as an IPv6 literal or fails, never a name lookup.
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private IpLiterals() {
    }

    /** The address of a literal IPv4 or IPv6 address; null for anything else. */
    public static InetAddress parse(String s) {
        if (s == null || s.isEmpty() || s.length() > 45 || !(V4.matcher(s).matches() || V6.matcher(s).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
