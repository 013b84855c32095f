using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Research.Serving;

/// <summary>One realised return reported for an earlier prediction.</summary>
/// <param name="Ticker">The ticker.</param>
/// <param name="Date">The date the prediction was for (the last date of the predict request's bars).</param>
/// <param name="RealizedReturn">The return realised over the model's horizon after that date's close.</param>
public sealed record FeedbackItem(string Ticker, DateOnly Date, double RealizedReturn);

/// <summary>A feedback item that matched no remembered prediction.</summary>
/// <param name="Index">Its position in <c>feedback</c>.</param>
/// <param name="Ticker">The ticker.</param>
/// <param name="Date">The date.</param>
/// <param name="Reason">Why it did not match.</param>
public sealed record UnmatchedFeedback(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("ticker")] string Ticker,
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>What <c>POST /v1/feedback</c> returns.</summary>
/// <param name="Matched">Items matched to a remembered prediction.</param>
/// <param name="Unmatched">Items that matched none.</param>
/// <param name="Live">Live accuracy after this feedback.</param>
public sealed record FeedbackResponse(
    [property: JsonPropertyName("matched")] int Matched,
    [property: JsonPropertyName("unmatched")] IReadOnlyList<UnmatchedFeedback> Unmatched,
    [property: JsonPropertyName("live")] LiveScore Live);

/// <summary>
/// Reads <c>{"feedback": [{"ticker", "date", "realized_return"}, ...]}</c>: every item is checked before any is
/// applied (422 problem details at the offending field, e.g. <c>feedback[2].realized_return</c>).
/// </summary>
public static class FeedbackRequest
{
    /// <summary>The validated items.</summary>
    /// <exception cref="RequestProblem">422 naming the offending field.</exception>
    public static IReadOnlyList<FeedbackItem> Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw RequestProblem.Invalid("$", "the request body must be a JSON object {\"feedback\": [...]}.");
        var items = Single(body, "feedback", "feedback", "the body needs \"feedback\", an array of {ticker, date, realized_return}.");
        if (items.ValueKind != JsonValueKind.Array) throw RequestProblem.Invalid("feedback", "must be an array of {ticker, date, realized_return}.");
        if (items.GetArrayLength() == 0) throw RequestProblem.Invalid("feedback", "empty: give at least one item.");
        var result = new List<FeedbackItem>(items.GetArrayLength());
        int i = 0;
        foreach (var item in items.EnumerateArray())
        {
            string at = $"feedback[{i++}]";
            if (item.ValueKind != JsonValueKind.Object) throw RequestProblem.Invalid(at, "an item must be an object {ticker, date, realized_return}.");
            var ticker = Single(item, "ticker", $"{at}.ticker", "every item needs \"ticker\".");
            if (ticker.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(ticker.GetString()))
                throw RequestProblem.Invalid($"{at}.ticker", $"must be a non-empty string, got {ticker.GetRawText()}.");
            var date = Single(item, "date", $"{at}.date", "every item needs \"date\" (yyyy-MM-dd, the date predicted for).");
            if (date.ValueKind != JsonValueKind.String ||
                !DateOnly.TryParseExact(date.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                throw RequestProblem.Invalid($"{at}.date", $"must be a date string yyyy-MM-dd, got {date.GetRawText()}.");
            var realized = Single(item, "realized_return", $"{at}.realized_return", "every item needs \"realized_return\".");
            if (realized.ValueKind != JsonValueKind.Number || !realized.TryGetDouble(out double r) || !double.IsFinite(r))
                throw RequestProblem.Invalid($"{at}.realized_return", $"must be a finite JSON number, got {realized.GetRawText()}.");
            result.Add(new FeedbackItem(ticker.GetString()!, day, r));
        }

        return result;
    }

    /// <summary>Matches <paramref name="items"/> against <paramref name="memory"/> and adds the matched pairs to <paramref name="live"/>.</summary>
    public static FeedbackResponse Apply(IReadOnlyList<FeedbackItem> items, PredictionMemory memory, LiveAccuracy live)
    {
        var unmatched = new List<UnmatchedFeedback>();
        int matched = 0;
        for (int i = 0; i < items.Count; i++)
        {
            var (ticker, date, realized) = items[i];
            if (memory.TryTake(ticker, date, out double expected))
            {
                live.Add(expected, realized);
                matched++;
            }
            else
            {
                string day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                unmatched.Add(new UnmatchedFeedback(i, ticker, day,
                    $"no remembered prediction for {ticker} on {day} (never predicted, already matched, or forgotten past the memory's capacity)."));
            }
        }

        return new FeedbackResponse(matched, unmatched, live.Score());
    }

    private static JsonElement Single(JsonElement obj, string name, string field, string missing)
    {
        JsonElement value = default;
        int count = 0;
        foreach (var p in obj.EnumerateObject())
        {
            if (!p.NameEquals(name)) continue;
            if (count++ == 0) value = p.Value;
        }

        if (count == 0) throw RequestProblem.Invalid(field, $"missing: {missing}");
        if (count > 1) throw RequestProblem.Invalid(field, $"\"{name}\" is given more than once.");
        return value;
    }
}
