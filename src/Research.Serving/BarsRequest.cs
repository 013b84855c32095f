using System.Globalization;
using System.Text.Json;
using Research.Core.Data;

namespace Research.Serving;

/// <summary>
/// The validated <c>bars</c> of a predict request: tickers in request order on the union of their dates (oldest
/// first), as a <see cref="MarketPanel"/> (NaN where a ticker has no bar on a date). Every ticker ends on the same
/// date, the one predicted.
/// </summary>
public sealed class BarsRequest
{
    private static readonly string[] Fields = ["open", "high", "low", "close", "volume"];

    private BarsRequest(MarketPanel panel) => Panel = panel;

    /// <summary>The request's bars.</summary>
    public MarketPanel Panel { get; }

    /// <summary>
    /// Reads <c>{"bars": {TICKER: [{date, open, high, low, close, volume}, ...]}}</c> at <paramref name="path"/>,
    /// checking every value: known tickers, at least the model's min_bars bars each, dates strictly increasing and
    /// ending on one date, finite numbers (no strings, no "NaN"), positive prices, volume ≥ 0, high ≥ low.
    /// </summary>
    /// <exception cref="RequestProblem">422 naming the offending field.</exception>
    public static BarsRequest Parse(JsonElement body, ModelInfo model, string path = "")
    {
        string at = path.Length == 0 ? "" : path + ".";
        if (body.ValueKind != JsonValueKind.Object) throw RequestProblem.Invalid(path.Length == 0 ? "$" : path, "the request body must be a JSON object.");
        if (!TryGetSingle(body, "bars", out var bars, out int count)) throw RequestProblem.Invalid($"{at}bars", "missing: the request needs \"bars\".");
        if (count > 1) throw RequestProblem.Invalid($"{at}bars", "\"bars\" is given more than once.");
        if (bars.ValueKind != JsonValueKind.Object) throw RequestProblem.Invalid($"{at}bars", "must be an object of ticker → array of bars.");

        var tickers = new List<string>();
        var series = new List<(DateOnly Date, double[] Values)[]>();
        foreach (var property in bars.EnumerateObject())
        {
            string ticker = property.Name, field = $"{at}bars.{ticker}";
            if (tickers.Contains(ticker, StringComparer.Ordinal)) throw RequestProblem.Invalid(field, $"ticker '{ticker}' is given more than once.");
            if (model.Tickers.Count > 0 && !model.Tickers.Contains(ticker, StringComparer.Ordinal))
                throw RequestProblem.Invalid(field, $"unknown ticker '{ticker}': the model knows {string.Join(", ", model.Tickers)}.");
            tickers.Add(ticker);
            series.Add(ParseSeries(property.Value, field, model.MinBars));
        }

        if (tickers.Count == 0) throw RequestProblem.Invalid($"{at}bars", "no tickers: give at least one ticker's bars.");
        var last = series[0][^1].Date;
        for (int i = 1; i < series.Count; i++)
        {
            if (series[i][^1].Date != last)
            {
                throw RequestProblem.Invalid($"{at}bars.{tickers[i]}[{series[i].Length - 1}].date",
                    $"ends on {series[i][^1].Date:yyyy-MM-dd} but {tickers[0]} ends on {last:yyyy-MM-dd}: every ticker must end on the date to predict.");
            }
        }

        return new BarsRequest(Assemble(tickers, series));
    }

    private static (DateOnly Date, double[] Values)[] ParseSeries(JsonElement array, string field, int minBars)
    {
        if (array.ValueKind != JsonValueKind.Array) throw RequestProblem.Invalid(field, "must be an array of bars, oldest first.");
        int length = array.GetArrayLength();
        if (length < minBars) throw RequestProblem.Invalid(field, $"{length} bar(s); the model needs at least {minBars} (min_bars) per ticker.");
        var result = new (DateOnly, double[])[length];
        int i = 0;
        foreach (var bar in array.EnumerateArray())
        {
            string at = $"{field}[{i}]";
            if (bar.ValueKind != JsonValueKind.Object) throw RequestProblem.Invalid(at, "a bar must be an object {date, open, high, low, close, volume}.");
            var date = ParseDate(bar, $"{at}.date");
            if (i > 0 && date <= result[i - 1].Item1)
            {
                throw RequestProblem.Invalid($"{at}.date", date == result[i - 1].Item1
                    ? $"duplicate date {date:yyyy-MM-dd} (also {field}[{i - 1}])."
                    : $"{date:yyyy-MM-dd} comes after {result[i - 1].Item1:yyyy-MM-dd}: bars must be sorted oldest first.");
            }

            var values = new double[Fields.Length];
            for (int f = 0; f < Fields.Length; f++) values[f] = ParseNumber(bar, Fields[f], $"{at}.{Fields[f]}");
            for (int f = 0; f < 4; f++)
            {
                if (!(values[f] > 0)) throw RequestProblem.Invalid($"{at}.{Fields[f]}", $"must be a positive price, got {Text(values[f])}.");
            }

            if (values[4] < 0) throw RequestProblem.Invalid($"{at}.volume", $"must be ≥ 0, got {Text(values[4])}.");
            if (values[1] < values[2]) throw RequestProblem.Invalid($"{at}.high", $"high {Text(values[1])} is below low {Text(values[2])}.");
            result[i++] = (date, values);
        }

        return result;
    }

    private static DateOnly ParseDate(JsonElement bar, string field)
    {
        if (!TryGetSingle(bar, "date", out var value, out int count)) throw RequestProblem.Invalid(field, "missing: every bar needs a \"date\".");
        if (count > 1) throw RequestProblem.Invalid(field, "\"date\" is given more than once.");
        if (value.ValueKind != JsonValueKind.String ||
            !DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw RequestProblem.Invalid(field, $"must be a date string yyyy-MM-dd, got {value.GetRawText()}.");
        return date;
    }

    private static double ParseNumber(JsonElement bar, string name, string field)
    {
        if (!TryGetSingle(bar, name, out var value, out int count)) throw RequestProblem.Invalid(field, $"missing: every bar needs \"{name}\".");
        if (count > 1) throw RequestProblem.Invalid(field, $"\"{name}\" is given more than once.");
        if (value.ValueKind != JsonValueKind.Number) throw RequestProblem.Invalid(field, $"must be a JSON number, got {value.GetRawText()} (NaN and infinities are not accepted).");
        if (!value.TryGetDouble(out double x) || !double.IsFinite(x)) throw RequestProblem.Invalid(field, $"{value.GetRawText()} is not a finite number.");
        return x;
    }

    /// <summary>The value of <paramref name="name"/> and how many times the object gives it.</summary>
    private static bool TryGetSingle(JsonElement obj, string name, out JsonElement value, out int count)
    {
        value = default;
        count = 0;
        foreach (var p in obj.EnumerateObject())
        {
            if (!p.NameEquals(name)) continue;
            if (count++ == 0) value = p.Value;
        }

        return count > 0;
    }

    private static MarketPanel Assemble(List<string> tickers, List<(DateOnly Date, double[] Values)[]> series)
    {
        var dates = series.SelectMany(s => s.Select(b => b.Date)).Distinct().Order().ToArray();
        var index = new Dictionary<DateOnly, int>(dates.Length);
        for (int t = 0; t < dates.Length; t++) index[dates[t]] = t;
        int n = dates.Length, size = n * tickers.Count;
        var fields = Enumerable.Range(0, Fields.Length).Select(_ => Nan(size)).ToArray();
        for (int k = 0; k < tickers.Count; k++)
        {
            foreach (var (date, values) in series[k])
            {
                int at = k * n + index[date];
                for (int f = 0; f < Fields.Length; f++) fields[f][at] = values[f];
            }
        }

        return new MarketPanel(new TradingCalendar(dates), [.. tickers], fields[0], fields[1], fields[2], fields[3], fields[4]);
    }

    private static double[] Nan(int length)
    {
        var a = new double[length];
        Array.Fill(a, double.NaN);
        return a;
    }

    private static string Text(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
