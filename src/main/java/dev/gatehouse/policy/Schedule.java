package dev.gatehouse.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/**
 * A named weekly schedule in an explicit IANA time zone, evaluated on local wall-clock time (so
 * "08:00" stays 08:00 across DST changes).
 *
 * @param name the schedule's name
 * @param zone its time zone
 * @param windows the windows; the schedule is active when any window is
 */
public record Schedule(String name, ZoneId zone, List<Window> windows) {

    public Schedule {
        windows = List.copyOf(windows);
    }

    /**
     * A weekly window. When {@code to <= from} it crosses midnight: {@code mon 22:00-06:00} covers
     * Monday 22:00 to Tuesday 06:00 (the days name the day the window starts).
     *
     * @param days the days the window starts on
     * @param fromMinute start, minutes after midnight (inclusive)
     * @param toMinute end, minutes after midnight (exclusive, 1440 for midnight)
     */
    public record Window(Set<DayOfWeek> days, int fromMinute, int toMinute) {
        public Window {
            days = Set.copyOf(days);
        }

        boolean contains(DayOfWeek day, int minute) {
            if (fromMinute < toMinute) {
                return days.contains(day) && minute >= fromMinute && minute < toMinute;
            }
            return (days.contains(day) && minute >= fromMinute) || (days.contains(day.minus(1)) && minute < toMinute);
        }
    }

    /** @return true if the schedule is active at that instant */
    public boolean isActive(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        int minute = local.getHour() * 60 + local.getMinute();
        for (Window window : windows) {
            if (window.contains(local.getDayOfWeek(), minute)) {
                return true;
            }
        }
        return false;
    }
}
