package io.vantage.collector;

import io.vantage.collector.client.IpLiterals;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies (load balancers, CDNs) whose {@code X-Forwarded-For} header is believed. Behind one,
 * every visitor would otherwise have the proxy's address, so cookieless ids and countries would
 * collapse into one; believing the header from anyone would let any client choose its address.
 * The client is the right-most address of the header that is not a trusted proxy, when the
 * connection itself comes from one; otherwise the connection's address.
 */
public final class TrustedProxies {
    private final List<Range> ranges;

    private record Range(BigInteger first, BigInteger last, int bytes) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != bytes) {
                return false;
            }
            BigInteger v = new BigInteger(1, b);
            return v.compareTo(first) >= 0 && v.compareTo(last) <= 0;
        }
    }

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    /** Comma-separated addresses and CIDR ranges ({@code 10.0.0.0/8, 192.168.1.5, fd00::/8}); blank: none. */
    public static TrustedProxies parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        List<Range> ranges = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            String[] cidr = p.split("/", 2);
            InetAddress base = IpLiterals.parse(cidr[0]);
            if (base == null) {
                throw new IllegalArgumentException("VANTAGE_TRUSTED_PROXIES: '" + p + "' is not an address or CIDR range");
            }
            int bits = base.getAddress().length * 8;
            int prefix;
            try {
                prefix = cidr.length == 2 ? Integer.parseInt(cidr[1]) : bits;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("VANTAGE_TRUSTED_PROXIES: '" + p + "' has no valid prefix length");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("VANTAGE_TRUSTED_PROXIES: prefix of '" + p + "' must be 0-" + bits);
            }
            BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
            BigInteger first = new BigInteger(1, base.getAddress()).andNot(hostMask);
            ranges.add(new Range(first, first.or(hostMask), base.getAddress().length));
        }
        return new TrustedProxies(ranges);
    }

    /** The client's address: {@code remote} unless it is a trusted proxy that forwarded the request. */
    public String clientAddress(String remote, String forwardedFor) {
        if (ranges.isEmpty() || forwardedFor == null || !trusted(IpLiterals.parse(remote))) {
            return remote;
        }
        String[] hops = forwardedFor.split(",");
        String client = remote;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            InetAddress address = IpLiterals.parse(hop);
            if (address == null) {
                // Not an address (a forged or garbled entry): stop at the last one that was.
                return client;
            }
            client = hop;
            if (!trusted(address)) {
                return hop;
            }
        }
        return client;
    }

    private boolean trusted(InetAddress a) {
        return a != null && ranges.stream().anyMatch(r -> r.contains(a));
    }
}
