package plaza.recommend;

import java.util.List;

import org.junit.jupiter.api.Test;
import plaza.platform.http.Json;
import plaza.recommend.model.KoreanText;
import plaza.recommend.sources.FeedReader;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** Nori with the grocery synonyms, and what a feed event means to recommend. */
class TextAndFeedTest {

    final KoreanText korean = new KoreanText();

    @Test
    void synonymsFoldOntoOneWord() {
        assertThat(korean.words("달걀 30구"), hasItem("계란"));
        assertThat(korean.words("돈육 앞다리"), hasItem("돼지고기"));
        assertThat(korean.words("김치찌개 끓이는 법"), hasItem("김치"));
        assertThat(korean.words("  "), empty());
    }

    @Test
    void feedEventsBecomeInteractions() {
        List<FeedReader.Row> order = FeedReader.rows(Json.parse("""
                {"seq":1,"type":"track","event":"Order Completed","userId":"u1","timestamp":"2026-12-01T10:00:00Z",
                 "properties":{"products":[{"productId":3},{"productId":"4"},{"productId":-1}],"recommId":"r-1","surface":"cart"}}"""));
        assertThat(order, hasSize(2));
        assertThat(order.get(1).item(), is("p:4"));
        assertThat(order.get(0).recommId(), is("r-1"));
        assertThat(order.get(0).shopper(), is("u:u1"));
        List<FeedReader.Row> recipe = FeedReader.rows(Json.parse("""
                {"type":"track","event":"Recipe Bookmarked","anonymousId":"a1","timestamp":"bad","properties":{"recipeId":7}}"""));
        assertThat(recipe.getFirst().item(), is("r:7"));
        assertThat(recipe.getFirst().shopper(), is("a:a1"));
        assertThat(FeedReader.rows(Json.parse("""
                {"type":"track","event":"Products Searched","userId":"u1","properties":{"query":"대파"}}""")).getFirst().query(), is("대파"));
        assertThat(FeedReader.rows(Json.parse("{\"type\":\"page\",\"name\":\"Home\",\"userId\":\"u1\"}")), empty());
        assertThat(FeedReader.rows(Json.parse("{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u1\"}")), empty());
        assertThat(FeedReader.rows(Json.parse("{\"type\":\"track\",\"event\":\"Product Viewed\",\"properties\":{\"productId\":1}}")), empty());
        assertThat(FeedReader.rows(Json.parse("{\"type\":\"track\",\"event\":\"Product Viewed\",\"userId\":\"u\",\"properties\":{\"productId\":\"x\"}}")), empty());
    }
}
