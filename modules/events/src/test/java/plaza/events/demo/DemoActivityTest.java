package plaza.events.demo;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import plaza.events.store.EventRow;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/** The demo month is the same for the same seed, spans the month, and follows the shoppers' tastes. */
class DemoActivityTest {

    static final List<String> PRODUCTS = List.of(
            "{\"id\":1,\"category\":\"채소\",\"keywords\":[\"대파\"],\"reviewCount\":10}",
            "{\"id\":2,\"category\":\"채소\",\"keywords\":[\"양파\"],\"reviewCount\":5}",
            "{\"id\":3,\"category\":\"김치/반찬\",\"keywords\":[\"김치\"],\"reviewCount\":50}",
            "{\"id\":4,\"category\":\"정육/계란\",\"keywords\":[\"돼지고기\"],\"reviewCount\":20}",
            "{\"id\":5,\"category\":\"정육/계란\",\"keywords\":[\"계란\"],\"reviewCount\":70}");
    static final List<String> RECIPES = List.of(
            "{\"id\":1,\"title\":\"김치찌개\",\"ingredients\":[{\"name\":\"배추 김치\"},{\"name\":\"돼지고기 앞다리살\"},{\"name\":\"대파\"}]}",
            "{\"id\":2,\"title\":\"계란말이\",\"ingredients\":[{\"name\":\"계란\"},{\"name\":\"대파\"}]}");

    @Test
    void theSameSeedGivesTheSameMonth() {
        List<DemoActivity.Product> products = DemoActivity.products(PRODUCTS);
        List<DemoActivity.Recipe> recipes = DemoActivity.recipes(RECIPES, products);
        assertThat(recipes.getFirst().productIds(), is(List.of(3L, 4L, 1L)));
        Instant end = Instant.parse("2026-12-01T00:00:00Z");
        List<EventRow> a = DemoActivity.generate(products, recipes, 7, end, 40);
        List<EventRow> b = DemoActivity.generate(products, recipes, 7, end, 40);
        assertThat(a, is(b));
        assertThat(a.size(), greaterThan(40 * 5));
        assertThat(a.stream().map(EventRow::ts).toList(), everyItem(lessThanOrEqualTo(end.plusSeconds(7200))));
        Set<String> kinds = new HashSet<>();
        a.forEach(r -> kinds.add(r.event()));
        assertThat(kinds, hasItem("Order Completed"));
        assertThat(kinds, hasItem("Recipe Viewed"));
        assertThat(kinds, hasItem("Products Searched"));
        assertThat(DemoActivity.tastes(products, 7).size(), is(DemoActivity.SHOPPERS));
    }
}
