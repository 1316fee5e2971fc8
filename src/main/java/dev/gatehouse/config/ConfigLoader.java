package dev.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Loads {@link GatehouseConfig} from a JSON file laid over the embedded defaults, and reports every
 * problem at once: JSON syntax, unknown keys (with the known ones), wrong types and invalid values, each
 * with file, line, column and JSON pointer, in the manner of {@code squid -k parse}.
 */
public final class ConfigLoader {
    private static final String DEFAULTS = "defaults.json";

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .build();

    /** Loads {@code file}; {@code overrides} maps JSON pointers (e.g. {@code /listen}) to values from the command line. */
    public GatehouseConfig load(Path file, Map<String, String> overrides) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw single(file.toString(), "file not found");
        } catch (IOException e) {
            throw single(file.toString(), "cannot read: " + e.getMessage());
        }
        return load(file.toString(), text, overrides);
    }

    /** Loads from text; {@code name} is used in messages. */
    public GatehouseConfig load(String name, String text, Map<String, String> overrides) throws ConfigException {
        JsonNode user;
        Map<String, JsonLocation> locations;
        try {
            user = mapper.readTree(text);
            locations = locate(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new ConfigException(List.of(new ConfigProblem(name, loc == null ? 0 : loc.getLineNr(),
                    loc == null ? 0 : loc.getColumnNr(), "", "invalid JSON: " + e.getOriginalMessage())));
        }
        if (user == null || !user.isObject()) throw single(name, "the top level must be a JSON object");
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            setAt((ObjectNode) user, o.getKey(), o.getValue());
        }
        Problems problems = new Problems();
        // Fields with a wrong shape are reported and dropped, so the rest can still be checked.
        checkShape(user, GatehouseConfig.class, "", problems);
        ObjectNode merged = (ObjectNode) defaultsTree().deepCopy();
        merge(merged, user);
        GatehouseConfig config = null;
        try {
            config = mapper.treeToValue(merged, GatehouseConfig.class);
            config.validate(problems);
        } catch (JsonProcessingException e) {
            problems.add(pointerOf(e), e.getOriginalMessage());
        }
        if (!problems.isEmpty()) throw new ConfigException(locate(name, problems, locations, overrides));
        return config;
    }

    /**
     * Walks the user's tree against the record types and reports unknown keys and wrong types, all of
     * them, removing each offending field so that the remaining values can be validated too.
     */
    private void checkShape(JsonNode node, Class<?> type, String pointer, Problems problems) {
        Map<String, RecordComponent> components = new HashMap<>();
        for (RecordComponent c : type.getRecordComponents()) components.put(c.getName(), c);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String childPointer = pointer + "/" + escape(field.getKey());
            RecordComponent c = components.get(field.getKey());
            if (c == null) {
                problems.add(childPointer, "unknown key \"" + field.getKey() + "\"; known keys here: "
                        + String.join(", ", Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList()));
                it.remove();
            } else if (c.getType().isRecord()) {
                if (field.getValue().isObject()) {
                    checkShape(field.getValue(), c.getType(), childPointer, problems);
                } else {
                    problems.add(childPointer, "must be an object");
                    it.remove();
                }
            } else {
                JavaType javaType = mapper.getTypeFactory().constructType(c.getGenericType());
                if (javaType.isCollectionLikeType() && javaType.getContentType().getRawClass().isRecord()) {
                    if (!checkListShape(field.getValue(), javaType.getContentType().getRawClass(), childPointer, problems)) {
                        it.remove();
                    }
                    continue;
                }
                try {
                    mapper.treeToValue(field.getValue(), javaType);
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
                    problems.add(childPointer, "expected " + describe(javaType) + ": " + firstLine(msg));
                    it.remove();
                }
            }
        }
    }

    /**
     * Checks a list of objects (e.g. {@code cache.refreshRules}) element by element: each must be an object with
     * known keys of the right types and every key marked {@code @JsonProperty(required = true)}. Returns false if
     * anything is wrong; the caller then drops the whole list, so the values left to validate never sit at
     * indices other than the ones the file shows.
     */
    private boolean checkListShape(JsonNode list, Class<?> elementType, String pointer, Problems problems) {
        if (!list.isArray()) {
            problems.add(pointer, "must be a list of objects");
            return false;
        }
        List<String> required = Arrays.stream(elementType.getRecordComponents())
                .filter(c -> c.getAccessor().isAnnotationPresent(JsonProperty.class) && c.getAccessor().getAnnotation(JsonProperty.class).required())
                .map(RecordComponent::getName).toList();
        int before = problems.size();
        for (int i = 0; i < list.size(); i++) {
            JsonNode element = list.get(i);
            String elementPointer = pointer + "/" + i;
            if (!element.isObject()) {
                problems.add(elementPointer, "must be an object");
                continue;
            }
            for (String key : required) {
                if (!element.hasNonNull(key)) {
                    problems.add(elementPointer + "/" + key, "missing; each entry needs " + String.join(", ", required));
                }
            }
            checkShape(element, elementType, elementPointer, problems);
        }
        return problems.size() == before;
    }

    private static String describe(JavaType t) {
        if (t.getRawClass() == Duration.class) return "a duration such as \"30s\"";
        if (t.isCollectionLikeType()) return "a list of " + describe(t.getContentType());
        if (t.getRawClass() == String.class) return "a string";
        if (t.getRawClass() == boolean.class) return "true or false";
        if (t.getRawClass() == int.class || t.getRawClass() == Integer.class || t.getRawClass() == long.class) return "a whole number";
        if (t.getRawClass() == double.class) return "a number";
        return t.getRawClass().getSimpleName();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Records where each value starts, by JSON pointer, so problems can name a line and column. */
    private Map<String, JsonLocation> locate(String text) throws JsonProcessingException {
        Map<String, JsonLocation> out = new HashMap<>();
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) continue;
                out.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation());
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    // a container's own pointer is its parent's context plus its name
                    out.putIfAbsent(p.getParsingContext().getParent() == null ? ""
                            : p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation());
                }
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<ConfigProblem> locate(String name, Problems problems, Map<String, JsonLocation> locations,
                                              Map<String, String> overrides) {
        List<ConfigProblem> out = new ArrayList<>();
        for (String[] e : problems.entries()) {
            String pointer = e[0];
            if (overrides.containsKey(pointer)) {
                out.add(new ConfigProblem("command line", 0, 0, pointer, e[1]));
                continue;
            }
            JsonLocation loc = null;
            for (String p = pointer; loc == null && p != null; p = parent(p)) loc = locations.get(p);
            if (loc == null) {
                out.add(new ConfigProblem(name + " (default)", 0, 0, pointer, e[1]));
            } else {
                out.add(new ConfigProblem(name, loc.getLineNr(), loc.getColumnNr(), pointer, e[1]));
            }
        }
        out.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
        return out;
    }

    private static String parent(String pointer) {
        if (pointer.isEmpty()) return null;
        return pointer.substring(0, pointer.lastIndexOf('/'));
    }

    private static String pointerOf(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException jme) {
            StringBuilder s = new StringBuilder();
            for (var ref : jme.getPath()) {
                s.append('/').append(ref.getFieldName() != null ? escape(ref.getFieldName()) : String.valueOf(ref.getIndex()));
            }
            return s.toString();
        }
        return "";
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private JsonNode defaultsTree() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) throw new IllegalStateException("missing resource " + DEFAULTS);
            JsonNode defaults = mapper.readTree(in);
            // the one default a JSON file cannot hold: it differs per machine
            ((ObjectNode) defaults.get("forwarding")).put("via", ViaPseudonym.ofThisHost());
            return defaults;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deep merge: objects merge key by key, anything else (arrays included) replaces. */
    private static void merge(ObjectNode target, JsonNode source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode existing = target.get(f.getKey());
            if (existing instanceof ObjectNode eo && f.getValue().isObject()) {
                merge(eo, f.getValue());
            } else {
                target.set(f.getKey(), f.getValue());
            }
        }
    }

    private static void setAt(ObjectNode root, String pointer, String value) {
        String[] parts = pointer.substring(1).split("/");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
        }
        node.put(parts[parts.length - 1], value);
    }

    private static ConfigException single(String file, String message) {
        return new ConfigException(List.of(new ConfigProblem(file, 0, 0, "", message)));
    }
}
