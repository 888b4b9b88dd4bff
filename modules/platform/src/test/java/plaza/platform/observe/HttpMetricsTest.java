package plaza.platform.observe;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** The Prometheus text of the HTTP histogram: cumulative buckets, count, sum, escaped labels. */
class HttpMetricsTest {

    @Test
    void bucketsAreCumulativeAndCountAndSumAgree() {
        HttpMetrics.Series s = HttpMetrics.get().series("GET", "/metrics-test/{id}", 200);
        s.record(500_000L);          // 0.5 ms  -> le 0.001
        s.record(1_000_000L);        // exactly 1 ms -> le 0.001 (upper bounds are inclusive)
        s.record(30_000_000L);       // 30 ms -> le 0.05
        s.record(60_000_000_000L);   // a minute -> only +Inf
        StringBuilder out = new StringBuilder();
        HttpMetrics.get().writeTo(out);
        String text = out.toString();
        String labels = "{method=\"GET\",route=\"/metrics-test/{id}\",scope=\"application\",status=\"200\",";
        assertThat(text, containsString("# TYPE http_server_request_duration_seconds histogram\n"));
        assertThat(text, containsString("http_server_requests_total" + labels + "} 4.0\n"));
        assertThat(text, containsString("http_server_request_duration_seconds_bucket" + labels + "le=\"0.001\",} 2.0\n"));
        assertThat(text, containsString("http_server_request_duration_seconds_bucket" + labels + "le=\"0.025\",} 2.0\n"));
        assertThat(text, containsString("http_server_request_duration_seconds_bucket" + labels + "le=\"0.05\",} 3.0\n"));
        assertThat(text, containsString("http_server_request_duration_seconds_bucket" + labels + "le=\"10.0\",} 3.0\n"));
        assertThat(text, containsString("http_server_request_duration_seconds_bucket" + labels + "le=\"+Inf\",} 4.0\n"));
        assertThat(text, containsString("http_server_request_duration_seconds_count" + labels + "} 4.0\n"));
        assertThat(text, containsString("http_server_request_duration_seconds_sum" + labels + "} 60.0315\n"));
    }

    @Test
    void labelValuesAreEscaped() {
        HttpMetrics.get().series("GET", "/odd\"route\\x", 404).record(1);
        StringBuilder out = new StringBuilder();
        HttpMetrics.get().writeTo(out);
        assertThat(out.toString().contains("route=\"/odd\\\"route\\\\x\""), is(true));
    }
}
