import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * bench/soak's plot and verdict: {@code java -cp xchart.jar Plot.java samples.csv soak.png settle-seconds}.
 * Each series is drawn as a percentage of its value when the settling time ends, so one chart shows
 * whether anything grows; exit status 1 when a series ends more than 10 % above that value.
 */
public class Plot {

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        String[] names = lines.getFirst().split(",");
        double settle = Double.parseDouble(args[2]);
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double[] row = new double[cells.length];
            for (int i = 0; i < cells.length; i++) {
                row[i] = cells[i].isBlank() ? Double.NaN : Double.parseDouble(cells[i]);
            }
            rows.add(row);
        }
        XYChart chart = new XYChartBuilder().width(1200).height(700).title("Plaza soak: each series as % of its value at "
                + (int) settle + " s").xAxisTitle("minutes").yAxisTitle("% of the value after settling").build();
        boolean pass = true;
        for (int c = 1; c < names.length; c++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            double base = Double.NaN;
            double last = Double.NaN;
            for (double[] row : rows) {
                if (Double.isNaN(base) && row[0] >= settle && row[c] > 0) {
                    base = row[c];
                }
                last = Double.isNaN(row[c]) ? last : row[c];
            }
            if (Double.isNaN(base)) {
                System.out.printf("  %-28s no sample after %d s%n", names[c], (int) settle);
                continue;
            }
            // The end value: the median of the last tenth of the samples, so one spike is not growth.
            List<Double> tail = new ArrayList<>();
            for (int i = rows.size() - Math.max(1, rows.size() / 10); i < rows.size(); i++) {
                if (!Double.isNaN(rows.get(i)[c])) {
                    tail.add(rows.get(i)[c]);
                }
            }
            tail.sort(null);
            double end = tail.isEmpty() ? last : tail.get(tail.size() / 2);
            double growth = (end - base) / base * 100;
            boolean ok = growth <= 10;
            pass &= ok;
            System.out.printf("  %-28s after settling %12.1f, at the end %12.1f: %+6.1f %%  %s%n", names[c], base, end, growth,
                              ok ? "ok" : "GROWS");
            for (double[] row : rows) {
                if (!Double.isNaN(row[c])) {
                    x.add(row[0] / 60);
                    y.add(row[c] / base * 100);
                }
            }
            chart.addSeries(names[c], x, y);
        }
        BitmapEncoder.saveBitmap(chart, args[1], BitmapEncoder.BitmapFormat.PNG);
        System.out.println("plot: " + args[1]);
        System.exit(pass ? 0 : 1);
    }
}
