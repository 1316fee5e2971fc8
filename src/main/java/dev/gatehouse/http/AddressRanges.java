package dev.gatehouse.http;

import java.net.InetAddress;
import java.util.List;

/** An ordered set of {@link AddressRange}s answering "is this address in any of them?". */
public record AddressRanges(List<AddressRange> ranges) {
    public AddressRanges {
        ranges = List.copyOf(ranges);
    }

    /** Parses each entry with {@link AddressRange#parse}. */
    public static AddressRanges parse(List<String> cidrs) {
        return new AddressRanges(cidrs.stream().map(AddressRange::parse).toList());
    }

    public boolean contains(InetAddress address) {
        for (AddressRange r : ranges) {
            if (r.contains(address)) return true;
        }
        return false;
    }
}
