package dev.gatehouse.policy.load;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A parsed JSON file plus the line and column of every value, keyed by JSON pointer (RFC 6901),
 * so that validation errors found on the tree can say where they are. Jackson's tree model does
 * not keep locations, hence a second, streaming pass.
 */
final class JsonDocument {
    /** A 1-based position in the file. */
    record Position(int line, int column) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode root;
    private final Map<String, Position> positions;

    private JsonDocument(JsonNode root, Map<String, Position> positions) {
        this.root = root;
        this.positions = positions;
    }

    JsonNode root() {
        return root;
    }

    /** @return the position of the value at {@code pointer}, or of its nearest located ancestor */
    Position positionOf(String pointer) {
        String p = pointer;
        while (true) {
            Position position = positions.get(p);
            if (position != null || p.isEmpty()) {
                return position == null ? new Position(1, 1) : position;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /**
     * Parses a document; duplicate keys are reported through {@code problems}.
     *
     * @throws JsonProcessingException on a syntax error (with its location)
     */
    static JsonDocument parse(byte[] json, Problems problems) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || root.isMissingNode()) {
            throw new IOException("the file is empty");
        }
        Map<String, Position> positions = new HashMap<>();
        try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
            Deque<Frame> frames = new ArrayDeque<>();
            String pendingField = null;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                Frame top = frames.peek();
                if (token == JsonToken.FIELD_NAME) {
                    pendingField = parser.currentName();
                    if (!top.keys.add(pendingField)) {
                        JsonLocation at = parser.currentTokenLocation();
                        problems.errorAt(top.pointer + "/" + escape(pendingField), at.getLineNr(), at.getColumnNr(),
                                "duplicate key '" + pendingField + "'");
                    }
                    continue;
                }
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    frames.pop();
                    continue;
                }
                String pointer;
                if (top == null) {
                    pointer = "";
                } else if (top.array) {
                    pointer = top.pointer + "/" + top.nextIndex++;
                } else {
                    pointer = top.pointer + "/" + escape(pendingField);
                }
                JsonLocation at = parser.currentTokenLocation();
                positions.put(pointer, new Position(at.getLineNr(), at.getColumnNr()));
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    frames.push(new Frame(pointer, token == JsonToken.START_ARRAY));
                }
            }
        }
        return new JsonDocument(root, positions);
    }

    /** An open object or array during the streaming pass. */
    private static final class Frame {
        final String pointer;
        final boolean array;
        final Set<String> keys = new HashSet<>();
        int nextIndex;

        Frame(String pointer, boolean array) {
            this.pointer = pointer;
            this.array = array;
        }
    }

    /** RFC 6901 §3: '~' is written "~0" and '/' is written "~1". */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
