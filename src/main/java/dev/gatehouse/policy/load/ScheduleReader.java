package dev.gatehouse.policy.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.policy.Schedule;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code schedules}: {@code {"timezone": "Europe/Paris", "windows": [{"days": ["mon"],
 * "from": "08:00", "to": "18:00"}]}}. The time zone is required: a schedule on the server's
 * zone silently shifts when the server moves.
 */
final class ScheduleReader {
    private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
            "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
            "sun", DayOfWeek.SUNDAY);

    private final LoadContext context;

    ScheduleReader(LoadContext context) {
        this.context = context;
    }

    void read(JsonNode schedules, String pointer) {
        if (schedules == null) {
            return;
        }
        if (!schedules.isObject()) {
            context.problems.error(pointer, "'schedules' must be an object of named schedules");
            return;
        }
        for (Map.Entry<String, JsonNode> entry : schedules.properties()) {
            String at = pointer + "/" + JsonDocument.escape(entry.getKey());
            Schedule schedule = schedule(entry.getKey(), entry.getValue(), at);
            if (schedule != null) {
                context.schedules.put(entry.getKey(), schedule);
            }
        }
    }

    private Schedule schedule(String name, JsonNode node, String at) {
        if (!context.fields.object(node, at, Set.of("timezone", "windows", "description"))) {
            return null;
        }
        String zoneText = context.fields.string(node, "timezone", at, true);
        ZoneId zone = null;
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                context.problems.error(at + "/timezone", "unknown time zone '" + zoneText
                        + "'; use an IANA name such as 'Europe/Paris' or 'UTC'");
            }
        }
        JsonNode windows = node.get("windows");
        if (windows == null || !windows.isArray() || windows.isEmpty()) {
            context.problems.error(windows == null ? at : at + "/windows", "'windows' must be a non-empty array");
            return null;
        }
        List<Schedule.Window> result = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            Schedule.Window window = window(windows.get(i), at + "/windows/" + i);
            if (window != null) {
                result.add(window);
            }
        }
        return zone == null || result.size() != windows.size() ? null : new Schedule(name, zone, result);
    }

    private Schedule.Window window(JsonNode node, String at) {
        if (!context.fields.object(node, at, Set.of("days", "from", "to"))) {
            return null;
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        List<String> names = context.fields.strings(node, "days", at);
        boolean ok = true;
        for (int i = 0; i < names.size(); i++) {
            DayOfWeek day = DAYS.get(names.get(i));
            if (day == null) {
                context.problems.error(at + "/days/" + i, "unknown day '" + names.get(i) + "'; use mon, tue, wed, "
                        + "thu, fri, sat or sun");
                ok = false;
            } else {
                days.add(day);
            }
        }
        if (names.isEmpty()) {
            context.problems.error(at, "a window needs 'days'");
            ok = false;
        }
        int from = minute(node, "from", at, false);
        int to = minute(node, "to", at, true);
        if (!ok || from < 0 || to < 0) {
            return null;
        }
        if (from == to) {
            context.problems.error(at, "'from' and 'to' are equal; write 00:00 to 24:00 for a whole day");
            return null;
        }
        return new Schedule.Window(days, from, to);
    }

    private int minute(JsonNode node, String key, String at, boolean allow24) {
        String text = context.fields.string(node, key, at, true);
        if (text == null) {
            return -1;
        }
        if (text.matches("\\d\\d:\\d\\d")) {
            int hours = Integer.parseInt(text.substring(0, 2));
            int minutes = Integer.parseInt(text.substring(3));
            int total = hours * 60 + minutes;
            if (minutes < 60 && (total < 1440 || (allow24 && total == 1440))) {
                return total;
            }
        }
        context.problems.error(at + "/" + key, "bad time '" + text + "'; use HH:MM" + (allow24 ? " (up to 24:00)" : ""));
        return -1;
    }
}
