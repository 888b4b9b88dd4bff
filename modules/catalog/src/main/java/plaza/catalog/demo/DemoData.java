package plaza.catalog.demo;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;

/**
 * Where the demo catalog shipped in the jar lives ({@code demo/catalog/*.jsonl}, made by
 * {@code tools/demo-data/generate.py}), loaded through the same import as the admin endpoints when
 * {@code catalog.demo-data} is true and the tables are empty. Broadcasts were generated for the week
 * of {@link #REFERENCE_MONDAY}; they are moved to the current week (Monday to Sunday in the service's
 * zone) so the schedule and "live now" have something to show.
 */
public final class DemoData {

    /** The Monday the generator wrote the demo broadcasts for. */
    public static final LocalDate REFERENCE_MONDAY = LocalDate.of(2025, 1, 6);
    public static final String PRODUCTS = "demo/catalog/products.jsonl";
    public static final String BROADCASTS = "demo/catalog/broadcasts.jsonl";

    private DemoData() {
    }

    /** How far to move the reference week to land on the current week in {@code zone}. */
    public static Duration shiftToCurrentWeek(Clock clock, ZoneId zone) {
        LocalDate monday = LocalDate.now(clock.withZone(zone)).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        ZonedDateTime reference = REFERENCE_MONDAY.atStartOfDay(zone);
        return Duration.between(reference, monday.atStartOfDay(zone));
    }
}
