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
        byte[] bytes = AddressRange.bytesOf(address); // a copy: once per check, not once per range
        for (int i = 0, n = ranges.size(); i < n; i++) {
            if (ranges.get(i).containsBytes(bytes)) return true;
        }
        return false;
    }
}
