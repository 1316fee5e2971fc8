package dev.gatehouse.policy.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.gatehouse.policy.AuthenticatedCondition;
import dev.gatehouse.policy.CategoryCondition;
import dev.gatehouse.policy.Cidr;
import dev.gatehouse.config.ByteRate;
import dev.gatehouse.policy.CidrCondition;
import dev.gatehouse.policy.Condition;
import dev.gatehouse.policy.ContentLengthCondition;
import dev.gatehouse.policy.ContentTypeCondition;
import dev.gatehouse.policy.ExtensionCondition;
import dev.gatehouse.policy.HeaderCondition;
import dev.gatehouse.policy.HostIsIpLiteralCondition;
import dev.gatehouse.policy.HostListCondition;
import dev.gatehouse.policy.IdentityCondition;
import dev.gatehouse.policy.MethodCondition;
import dev.gatehouse.policy.NotCondition;
import dev.gatehouse.policy.PortCondition;
import dev.gatehouse.policy.RegexCondition;
import dev.gatehouse.policy.Schedule;
import dev.gatehouse.policy.ScheduleCondition;
import dev.gatehouse.policy.SchemeCondition;
import dev.gatehouse.policy.category.CategoryIndex;
import dev.gatehouse.policy.category.CategoryIndexBuilder;
import dev.gatehouse.policy.category.CategorySet;
import dev.gatehouse.policy.category.CategorySource;
import dev.gatehouse.policy.category.EntrySemantics;
import dev.gatehouse.policy.category.ListFormat;
import dev.gatehouse.policy.category.LoadProblem;
import dev.gatehouse.policy.normalize.HostName;
import dev.gatehouse.policy.normalize.HostNormalizer;
import dev.gatehouse.policy.normalize.InvalidTargetException;
import dev.gatehouse.policy.normalize.Scheme;
import dev.gatehouse.policy.normalize.TargetParser;
import dev.gatehouse.policy.PolicyProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a rule's {@code match} object into precompiled {@link Condition}s. Every key has a
 * negated {@code not...} form except the two booleans. Values are a string, an array, or
 * {@code {"list": "name"}} for the list-capable keys.
 */
final class ConditionReader {
    /** RE2/J patterns longer than this are refused: they bound compile time and memory. */
    static final int MAX_PATTERN_LENGTH = 1024;
    /** At most this many patterns per policy. */
    static final int MAX_PATTERNS = 1000;

    private static final Map<String, String> LIST_TYPES = Map.of("hostExact", "hosts", "domain", "hosts",
            "subdomainOf", "hosts", "urlPrefix", "urlPrefixes", "clientCidr", "cidrs", "destCidr", "cidrs",
            "user", "users", "group", "groups");
    private static final Set<String> BASE_KEYS = Set.of("hostExact", "domain", "subdomainOf", "urlPrefix",
            "urlRegex", "hostRegex", "category", "categoryAll", "clientCidr", "destCidr", "user", "group", "schedule",
            "method", "port", "scheme", "header", "extension", "contentType", "contentLength");
    /** Keys about the response head: only response rules, decided once it is known, may use them. */
    private static final Set<String> RESPONSE_KEYS = Set.of("contentType", "contentLength");
    /** A field name is a token (RFC 9110 §5.1, §5.6.2). */
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> BOOLEAN_KEYS = Set.of("hostIsIpLiteral", "authenticated");
    /** Every key a match object accepts. */
    static final Set<String> KEYS = allKeys();

    private final LoadContext context;
    private final Map<String, CategoryIndex> hostIndexes = new HashMap<>();

    ConditionReader(LoadContext context) {
        this.context = context;
    }

    private static Set<String> allKeys() {
        Set<String> keys = new LinkedHashSet<>(BASE_KEYS);
        for (String key : BASE_KEYS) {
            keys.add("not" + Character.toUpperCase(key.charAt(0)) + key.substring(1));
        }
        keys.addAll(BOOLEAN_KEYS);
        return Set.copyOf(keys);
    }

    /** Values of one key, with where each came from. */
    private record Values(List<String> items, List<String> pointers, NamedList list) {
        String listName() {
            return list == null ? "inline" : list.name();
        }
    }

    /** @return the conditions of a request rule, or null if the match object has errors (already reported) */
    List<Condition> read(JsonNode match, String pointer) {
        return read(match, pointer, false);
    }

    /**
     * @param response true for a response rule, which may also use the response keys ({@code contentType},
     *        {@code contentLength})
     * @return the conditions, or null if the match object has errors (already reported)
     */
    List<Condition> read(JsonNode match, String pointer, boolean response) {
        if (!context.fields.object(match, pointer, KEYS)) {
            return null;
        }
        List<Condition> conditions = new ArrayList<>();
        boolean ok = true;
        for (Map.Entry<String, JsonNode> field : match.properties()) {
            String key = field.getKey();
            if (!KEYS.contains(key)) {
                ok = false;
                continue;
            }
            String at = pointer + "/" + key;
            if (BOOLEAN_KEYS.contains(key)) {
                if (!field.getValue().isBoolean()) {
                    context.problems.error(at, "'" + key + "' must be true or false");
                    ok = false;
                    continue;
                }
                boolean value = field.getValue().asBoolean();
                conditions.add(key.equals("authenticated") ? new AuthenticatedCondition(value)
                        : new HostIsIpLiteralCondition(value));
                continue;
            }
            boolean negated = !BASE_KEYS.contains(key);
            String base = negated ? Character.toLowerCase(key.charAt(3)) + key.substring(4) : key;
            if (!response && RESPONSE_KEYS.contains(base)) {
                context.problems.error(at, "'" + key + "' is only for 'responseRules': a rule in 'rules' is decided "
                        + "before any response arrives");
                ok = false;
                continue;
            }
            Condition condition = switch (base) {
                case "header" -> header(field.getValue(), at);
                case "contentLength" -> contentLength(field.getValue(), at);
                default -> condition(base, field.getValue(), at);
            };
            if (condition == null) {
                ok = false;
            } else {
                conditions.add(negated ? new NotCondition(condition) : condition);
            }
        }
        return ok ? conditions : null;
    }

    /** Checks the entries of a list no rule uses, as if a rule used it. */
    void checkUnused(NamedList list) {
        String key = switch (list.type()) {
            case "hosts" -> "domain";
            case "urlPrefixes" -> "urlPrefix";
            case "cidrs" -> "clientCidr";
            default -> null;
        };
        if (key != null) {
            condition(key, JsonNodeFactory.instance.objectNode()
                    .put("list", list.name()), list.pointer());
        }
    }

    private Condition condition(String key, JsonNode value, String at) {
        Values values = values(key, value, at);
        if (values == null) {
            return null;
        }
        if (values.items().isEmpty() && values.list() == null) {
            context.problems.warning(at, "empty '" + key + "': the condition never matches");
        }
        return switch (key) {
            case "hostExact" -> hosts(key, values, EntrySemantics.EXACT, at);
            case "domain" -> hosts(key, values, EntrySemantics.DOMAIN, at);
            case "subdomainOf" -> hosts(key, values, EntrySemantics.SUBDOMAINS, at);
            case "urlPrefix" -> hosts(key, values, EntrySemantics.DOMAIN, at);
            case "urlRegex", "hostRegex" -> regex(key, values);
            case "category", "categoryAll" -> category(key, values);
            case "clientCidr", "destCidr" -> cidrs(key, values);
            case "user", "group" -> new IdentityCondition(key, values.listName(), Set.copyOf(values.items()),
                    key.equals("group"));
            case "schedule" -> schedule(values);
            case "method" -> new MethodCondition(Set.copyOf(values.items().stream()
                    .map(m -> m.toUpperCase(Locale.ROOT)).toList()));
            case "port" -> ports(values);
            case "scheme" -> schemes(values);
            case "extension" -> extensions(values);
            case "contentType" -> contentTypes(values);
            default -> throw new IllegalStateException(key);
        };
    }

    private Values values(String key, JsonNode value, String at) {
        if (value.isObject()) {
            String type = LIST_TYPES.get(key);
            if (type == null) {
                context.problems.error(at, "'" + key + "' takes values, not a list reference");
                return null;
            }
            if (!context.fields.object(value, at, Set.of("list"))) {
                return null;
            }
            String name = context.fields.string(value, "list", at, true);
            NamedList list = name == null ? null : context.lists.get(name);
            if (list == null) {
                if (name != null) {
                    context.problems.error(at + "/list", "no list named '" + name + "'; defined: "
                            + context.lists.keySet().stream().sorted().toList());
                }
                return null;
            }
            context.usedLists.add(name);
            if (!list.type().equals(type)) {
                context.problems.error(at + "/list", "'" + key + "' needs a list of type '" + type + "', but '"
                        + name + "' has type '" + list.type() + "'");
                return null;
            }
            List<String> pointers = new ArrayList<>();
            for (int i = 0; i < list.entries().size(); i++) {
                pointers.add(list.pointer() + "/entries/" + i);
            }
            return new Values(list.entries(), pointers, list);
        }
        List<String> items = context.fields.strings(value, at);
        List<String> pointers = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            pointers.add(value.isArray() ? at + "/" + i : at);
        }
        return new Values(items, pointers, null);
    }

    private Condition hosts(String key, Values values, EntrySemantics semantics, String at) {
        boolean urls = key.equals("urlPrefix");
        String cacheKey = values.list() == null ? null : values.listName() + "\0" + key;
        if (cacheKey != null && hostIndexes.containsKey(cacheKey)) {
            return new HostListCondition(key, values.listName(), hostIndexes.get(cacheKey), urls);
        }
        boolean ok = true;
        for (int i = 0; i < values.items().size(); i++) {
            ok &= checkHostEntry(values.items().get(i), values.pointers().get(i), urls, semantics);
        }
        if (!ok) {
            return null;
        }
        CategoryIndexBuilder builder = new CategoryIndexBuilder();
        ListFormat format = urls ? ListFormat.URLS : ListFormat.DOMAINS;
        try {
            if (!values.items().isEmpty()) {
                String origin = context.fileName + " " + (values.list() == null ? at : values.list().pointer());
                builder.add(CategorySource.inline(key, format, semantics, values.items(), origin));
            }
            if (values.list() != null && values.list().file() != null) {
                builder.add(CategorySource.file(key, format, semantics, values.list().file()));
                warnPublicSuffixesInFile(values.list(), urls);
            }
        } catch (IOException e) {
            context.problems.error(values.list().pointer() + "/file", "cannot read list file: " + e.getMessage());
            return null;
        }
        for (LoadProblem problem : builder.problems()) {
            context.problems.inFile(PolicyProblem.Severity.WARNING, problem.source(), problem.line(),
                    "entry skipped: " + problem.message());
        }
        CategoryIndex index = builder.build();
        if (cacheKey != null) {
            hostIndexes.put(cacheKey, index);
        }
        return new HostListCondition(key, values.listName(), index, urls);
    }

    private boolean checkHostEntry(String entry, String pointer, boolean url, EntrySemantics semantics) {
        try {
            String host;
            if (url) {
                host = TargetParser.parseUrl(entry.contains("://") ? entry : "http://" + entry).host().value();
            } else {
                String name = entry.startsWith("*.") ? entry.substring(2) : entry;
                if (name.indexOf('*') >= 0 || name.indexOf('/') >= 0) {
                    context.problems.error(pointer, "bad host entry '" + entry
                            + "': no path, and '*' only as a whole leading label ('*.example.com')");
                    return false;
                }
                HostName parsed = HostNormalizer.normalize(name);
                host = parsed.isIpLiteral() ? null : parsed.value();
            }
            if (host != null && semantics != EntrySemantics.EXACT && PublicSuffixes.isPublicSuffix(host)) {
                context.problems.warning(pointer, "'" + entry + "' is a public suffix: it covers every site under it");
            }
            return true;
        } catch (InvalidTargetException e) {
            context.problems.error(pointer, "bad " + (url ? "URL prefix" : "host") + " entry: " + e.getMessage());
            return false;
        }
    }

    private void warnPublicSuffixesInFile(NamedList list, boolean urls) throws IOException {
        if (urls) {
            return;
        }
        List<String> lines = Files.readAllLines(list.file());
        for (int i = 0; i < lines.size(); i++) {
            String entry = lines.get(i).strip().toLowerCase(Locale.ROOT);
            if (!entry.isEmpty() && !entry.startsWith("#") && PublicSuffixes.isPublicSuffix(entry)) {
                context.problems.inFile(PolicyProblem.Severity.WARNING, list.file().toString(), i + 1,
                        "'" + entry + "' is a public suffix: it covers every site under it");
            }
        }
    }

    private Condition regex(String key, Values values) {
        List<Pattern> patterns = patterns(values);
        return patterns == null ? null : new RegexCondition(key, patterns, key.equals("urlRegex"));
    }

    /** The compiled patterns (RE2/J, counted against the policy's limit), or null when any is bad (reported). */
    private List<Pattern> patterns(Values values) {
        List<Pattern> patterns = new ArrayList<>();
        for (int i = 0; i < values.items().size(); i++) {
            String text = values.items().get(i);
            String at = values.pointers().get(i);
            if (text.length() > MAX_PATTERN_LENGTH) {
                context.problems.error(at, "pattern longer than " + MAX_PATTERN_LENGTH + " characters");
                continue;
            }
            if (++context.regexCount == MAX_PATTERNS + 1) {
                context.problems.error(at, "more than " + MAX_PATTERNS + " patterns in one policy");
            }
            try {
                patterns.add(Pattern.compile(text));
            } catch (PatternSyntaxException e) {
                context.problems.error(at, "bad regular expression (RE2 syntax): " + e.getMessage());
            }
        }
        return patterns.size() == values.items().size() ? patterns : null;
    }

    private Condition category(String key, Values values) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < values.items().size(); i++) {
            String name = values.items().get(i);
            int id = context.categories.categoryId(name);
            if (id < 0) {
                if (!context.categoriesFailed) {
                    context.problems.error(values.pointers().get(i), "unknown category '" + name + "'; known: "
                            + abbreviate(context.categories.knownNames()));
                }
                return null;
            }
            ids.add(id);
        }
        return new CategoryCondition(values.items(), CategorySet.of(ids.stream().mapToInt(Integer::intValue).toArray()),
                key.equals("categoryAll"));
    }

    private static String abbreviate(Set<String> names) {
        List<String> list = List.copyOf(names);
        return list.size() <= 30 ? list.toString() : list.subList(0, 30) + " and " + (list.size() - 30) + " more";
    }

    private Condition cidrs(String key, Values values) {
        List<Cidr> networks = new ArrayList<>();
        for (int i = 0; i < values.items().size(); i++) {
            try {
                networks.add(Cidr.parse(values.items().get(i).strip()));
            } catch (IllegalArgumentException e) {
                context.problems.error(values.pointers().get(i), "bad CIDR: " + e.getMessage());
            }
        }
        return networks.size() == values.items().size()
                ? new CidrCondition(key, values.listName(), networks, key.equals("destCidr")) : null;
    }

    private Condition schedule(Values values) {
        List<Schedule> schedules = new ArrayList<>();
        for (int i = 0; i < values.items().size(); i++) {
            Schedule schedule = context.schedules.get(values.items().get(i));
            if (schedule == null) {
                context.problems.error(values.pointers().get(i), "no schedule named '" + values.items().get(i)
                        + "'; defined: " + context.schedules.keySet().stream().sorted().toList());
                return null;
            }
            schedules.add(schedule);
        }
        return new ScheduleCondition(schedules);
    }

    private Condition ports(Values values) {
        List<int[]> ranges = new ArrayList<>();
        for (int i = 0; i < values.items().size(); i++) {
            String text = values.items().get(i);
            String[] parts = text.split("-", -1);
            try {
                int from = Integer.parseInt(parts[0].strip());
                int to = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : from;
                if (parts.length > 2 || from < 1 || to > 65535 || from > to) {
                    throw new NumberFormatException();
                }
                ranges.add(new int[] {from, to});
            } catch (NumberFormatException e) {
                context.problems.error(values.pointers().get(i), "bad port '" + text + "': use 1-65535 or a range '8000-8099'");
            }
        }
        return ranges.size() == values.items().size() ? new PortCondition(ranges) : null;
    }

    private Condition schemes(Values values) {
        Set<Scheme> schemes = new LinkedHashSet<>();
        for (int i = 0; i < values.items().size(); i++) {
            try {
                schemes.add(Scheme.parse(values.items().get(i)));
            } catch (InvalidTargetException e) {
                context.problems.error(values.pointers().get(i), "unknown scheme '" + values.items().get(i)
                        + "': use http, https, ftp or CONNECT");
                return null;
            }
        }
        return new SchemeCondition(schemes);
    }

    /** {@code {"name": "User-Agent", "regex": "(?i)^curl/"}}: the regex a string or an array, RE2 as {@code urlRegex}. */
    private Condition header(JsonNode value, String at) {
        if (!value.isObject()) {
            context.problems.error(at, "'header' takes {\"name\": \"User-Agent\", \"regex\": \"(?i)^curl/\"}");
            return null;
        }
        if (!context.fields.object(value, at, Set.of("name", "regex"))) {
            return null;
        }
        String name = context.fields.string(value, "name", at, true);
        if (name != null && !TOKEN.matcher(name).matches()) {
            context.problems.error(at + "/name", "bad header field name '" + name + "' (RFC 9110 §5.1: a token, no spaces or ':')");
            name = null;
        }
        JsonNode regex = value.get("regex");
        if (regex == null) {
            context.problems.error(at, "missing required key 'regex'");
            return null;
        }
        Values values = values("header", regex, at + "/regex");
        if (values == null) {
            return null;
        }
        if (values.items().isEmpty()) {
            context.problems.warning(at + "/regex", "empty 'regex': the condition never matches");
        }
        List<Pattern> patterns = patterns(values);
        return name == null || patterns == null ? null : new HeaderCondition(name, patterns);
    }

    /** {@code {"over": "500MB"}} or {@code {"over": 1000000}}: sizes as {@link ByteRate#bytes} reads them. */
    private Condition contentLength(JsonNode value, String at) {
        if (!value.isObject()) {
            context.problems.error(at, "'contentLength' takes {\"over\": \"500MB\"}");
            return null;
        }
        if (!context.fields.object(value, at, Set.of("over"))) {
            return null;
        }
        JsonNode over = value.get("over");
        if (over == null) {
            context.problems.error(at, "missing required key 'over', e.g. \"500MB\"");
            return null;
        }
        try {
            if (over.isIntegralNumber() && over.asLong() >= 0) {
                return new ContentLengthCondition(over.asLong(), over.asText());
            }
            if (!over.isTextual()) throw new IllegalArgumentException("expected a size such as \"500MB\" or a number of bytes");
            return new ContentLengthCondition(ByteRate.bytes(over.asText()), over.asText());
        } catch (IllegalArgumentException e) {
            context.problems.error(at + "/over", "bad size: " + e.getMessage());
            return null;
        }
    }

    private Condition extensions(Values values) {
        for (int i = 0; i < values.items().size(); i++) {
            String text = values.items().get(i).strip();
            if (!text.matches("\\.?[A-Za-z0-9_~+-]+(\\.[A-Za-z0-9_~+-]+)*")) {
                context.problems.error(values.pointers().get(i), "bad extension '" + values.items().get(i)
                        + "': letters and digits after a dot, e.g. \".exe\" or \".tar.gz\"");
                return null;
            }
        }
        return new ExtensionCondition(values.items());
    }

    private Condition contentTypes(Values values) {
        for (int i = 0; i < values.items().size(); i++) {
            String text = values.items().get(i).strip();
            int slash = text.indexOf('/');
            boolean ok = slash > 0 && TOKEN.matcher(text.substring(0, slash)).matches()
                    && (text.substring(slash + 1).equals("*") || TOKEN.matcher(text.substring(slash + 1)).matches());
            if (!ok) {
                context.problems.error(values.pointers().get(i), "bad media type '" + values.items().get(i)
                        + "': type/subtype without parameters, e.g. \"application/x-msdownload\" or \"video/*\"");
                return null;
            }
        }
        return new ContentTypeCondition(values.items());
    }
}
