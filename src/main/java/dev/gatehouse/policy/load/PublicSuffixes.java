package dev.gatehouse.policy.load;

import java.util.Set;

/**
 * Recognises common public suffixes ({@code com}, {@code co.uk}) so that a list entry covering a
 * whole registry gets a warning. A curated subset of the Public Suffix List: every single-label
 * TLD, plus the multi-label suffixes most often mistaken for domains. The full list is not worth
 * a dependency for a warning.
 */
final class PublicSuffixes {
    private static final Set<String> MULTI_LABEL = Set.of(
            "co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "ac.uk", "gov.uk", "net.uk", "sch.uk", "nhs.uk",
            "com.au", "net.au", "org.au", "edu.au", "gov.au", "co.nz", "org.nz", "net.nz",
            "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "co.kr", "or.kr", "com.cn", "net.cn", "org.cn", "gov.cn",
            "com.tw", "com.hk", "com.sg", "com.my", "co.in", "net.in", "org.in", "co.id", "co.th", "com.vn",
            "com.br", "net.br", "org.br", "com.ar", "com.mx", "com.co", "com.pe", "com.tr", "co.za", "co.il",
            "com.ua", "com.ru", "com.pl", "co.at", "or.at", "gv.at", "com.es", "com.pt", "com.gr",
            "github.io", "gitlab.io", "blogspot.com", "herokuapp.com", "appspot.com", "azurewebsites.net",
            "cloudfront.net", "amazonaws.com", "netlify.app", "vercel.app", "pages.dev", "workers.dev",
            "firebaseapp.com", "web.app", "duckdns.org", "no-ip.org", "dyndns.org");

    private PublicSuffixes() {
    }

    /** @return true if the normalised DNS name is a public suffix */
    static boolean isPublicSuffix(String host) {
        return host.indexOf('.') < 0 || MULTI_LABEL.contains(host);
    }
}
