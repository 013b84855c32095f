namespace Research.Core.Data;

/// <summary>
/// Where each known column sits in a bar CSV's header. Recognises the per-ticker layout of the embedded set
/// (<c>Date,Open,High,Low,Close,Volume,Name</c>), Yahoo Finance's (<c>Date,Open,High,Low,Close,Adj Close,Volume</c>)
/// and any order or letter case of those names; unknown extra columns are ignored.
/// </summary>
public sealed record CsvLayout(char Delimiter, int FieldCount, int Date, int Open, int High, int Low, int Close,
    int Volume, int AdjClose, int Name)
{
    private static readonly string[] Required = ["Date", "Open", "High", "Low", "Close", "Volume"];

    private static readonly Dictionary<string, int> Slots = new()
    {
        ["date"] = 0, ["timestamp"] = 0, ["datetime"] = 0, ["open"] = 1, ["high"] = 2, ["low"] = 3, ["close"] = 4, ["volume"] = 5,
        ["adjclose"] = 6, ["adjustedclose"] = 6, ["name"] = 7, ["ticker"] = 7, ["symbol"] = 7,
    };

    /// <summary>True when the first column is a <c>timestamp</c> (ISO-8601 instants: intraday bars) rather than a date.</summary>
    public bool Timestamped { get; init; }

    /// <summary>True when the header has Yahoo's <c>Adj Close</c> column.</summary>
    public bool HasAdjClose => AdjClose >= 0;

    /// <summary>True when a <c>Name</c>/<c>Ticker</c>/<c>Symbol</c> column names the ticker of each row.</summary>
    public bool HasName => Name >= 0;

    /// <summary>Reads the header line; throws <see cref="DataFormatException"/> naming the missing column.</summary>
    public static CsvLayout Parse(string header, string source)
    {
        char delimiter = DetectDelimiter(header);
        var names = CsvFields.Split(header, delimiter, source, 1);
        // Slots: Date, Open, High, Low, Close, Volume, AdjClose, Name.
        var slots = new int[] { -1, -1, -1, -1, -1, -1, -1, -1 };
        var unknown = new List<(string Name, int Column)>();
        for (int i = 0; i < names.Count; i++)
        {
            if (!Slots.TryGetValue(Normalise(names[i]), out int slot))
            {
                unknown.Add((names[i], i + 1));
                continue;
            }

            if (slots[slot] >= 0)
            {
                throw new DataFormatException(source, 1, i + 1,
                    $"column '{names[i].Trim()}' appears twice in the header (also column {slots[slot] + 1}).");
            }

            slots[slot] = i;
        }

        for (int r = 0; r < Required.Length; r++)
        {
            if (slots[r] >= 0) continue;
            string hint = Nearest(Required[r], unknown) is { } u
                ? $" Column {u.Column} is '{u.Name}': did you mean '{Required[r]}'?"
                : "";
            throw new DataFormatException(source, 1, null,
                $"the header has no '{Required[r]}' column. Expected Date,Open,High,Low,Close[,Adj Close],Volume[,Name]; " +
                $"found {string.Join(delimiter, names)}.{hint}");
        }

        return new CsvLayout(delimiter, names.Count, slots[0], slots[1], slots[2], slots[3], slots[4], slots[5], slots[6],
            slots[7]) { Timestamped = Normalise(names[slots[0]]) != "date" };
    }

    private static string Normalise(string s)
    {
        Span<char> buf = stackalloc char[Math.Min(s.Length, 64)];
        int n = 0;
        foreach (char c in s)
        {
            if (n == buf.Length) break;
            if (char.IsLetterOrDigit(c)) buf[n++] = char.ToLowerInvariant(c);
        }

        return new string(buf[..n]);
    }

    private static char DetectDelimiter(string header)
    {
        // The first of these that occurs in the header wins; a header of a single column has no delimiter to find.
        foreach (char c in ",;\t|")
        {
            if (header.Contains(c)) return c;
        }

        return ',';
    }

    private static (string Name, int Column)? Nearest(string wanted, List<(string Name, int Column)> candidates)
    {
        (string, int)? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = Levenshtein(Normalise(wanted), Normalise(c.Name));
            if (d < bestDistance && d <= Math.Max(2, wanted.Length / 3))
            {
                bestDistance = d;
                best = (c.Name.Trim(), c.Column);
            }
        }

        return best;
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }
}
