using System.Globalization;
using System.Text;

namespace Research.Core.Data.Quality;

/// <summary>What the checker found and what the policy changed: every defect, every repair, every rejected file.</summary>
public sealed class QualityReport
{
    /// <summary>Creates a report.</summary>
    public QualityReport(QualityPolicy policy, IReadOnlyList<string> sources, int rows, IReadOnlyList<Defect> defects,
        IReadOnlyList<Repair> repairs, IReadOnlyDictionary<string, string> rejected)
    {
        Policy = policy;
        Sources = sources;
        Rows = rows;
        Defects = defects;
        Repairs = repairs;
        Rejected = rejected;
    }

    /// <summary>The policy applied.</summary>
    public QualityPolicy Policy { get; }

    /// <summary>The files read.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Rows read, over all files.</summary>
    public int Rows { get; }

    /// <summary>Every defect found, ordered by kind, ticker and date.</summary>
    public IReadOnlyList<Defect> Defects { get; }

    /// <summary>Every change made to the data.</summary>
    public IReadOnlyList<Repair> Repairs { get; }

    /// <summary>Rejected files and why.</summary>
    public IReadOnlyDictionary<string, string> Rejected { get; }

    /// <summary>True when no defect was found.</summary>
    public bool IsClean => Defects.Count == 0;

    /// <summary>Defect counts by kind.</summary>
    public IReadOnlyDictionary<DefectKind, int> CountsByKind =>
        Defects.GroupBy(d => d.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>A readable report: summary table, then every defect with its file and line, then every repair.</summary>
    public string ToText(bool details = true)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"Data quality: {Sources.Count} file(s), {Rows:N0} rows, policy {Policy}");
        if (IsClean)
        {
            sb.AppendLine("No defects found.");
        }
        else
        {
            sb.AppendLine(inv, $"{Defects.Count} defect(s):");
            foreach (var g in Defects.GroupBy(d => d.Kind).OrderBy(g => g.Key))
            {
                var tickers = g.Select(d => d.Ticker).Distinct().ToArray();
                string list = tickers.Length <= 8 ? string.Join(" ", tickers) : $"{tickers.Length} tickers";
                sb.AppendLine(inv, $"  {Name(g.Key),-20} {g.Count(),6}  {list}");
            }
        }

        if (Rejected.Count > 0)
        {
            sb.AppendLine(inv, $"{Rejected.Count} file(s) rejected:");
            foreach (var (file, why) in Rejected) sb.AppendLine(inv, $"  {Defect.DisplayPath(file)}: {why}");
        }

        if (details && !IsClean)
        {
            sb.AppendLine();
            sb.AppendLine("Defects:");
            foreach (var d in Defects)
            {
                sb.AppendLine(inv,
                    $"  {Name(d.Kind),-20} {d.Ticker,-6} {d.Date:yyyy-MM-dd} {(d.Field is null ? "" : d.Field + ": ")}{d.Detail}  [{d.Where}]");
            }
        }

        if (details && Repairs.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(inv, $"Repairs ({Repairs.Count}):");
            foreach (var r in Repairs)
            {
                sb.AppendLine(inv,
                    $"  {Name(r.Action),-15} {r.Ticker,-6} {r.Date:yyyy-MM-dd} {(r.Field is null ? "" : r.Field + ": ")}{r.Detail}");
            }
        }
        else if (Repairs.Count > 0)
        {
            sb.AppendLine(inv, $"{Repairs.Count} repair(s) applied.");
        }

        return sb.ToString();
    }

    /// <summary>The kebab-case name used in reports and JSON (e.g. <c>missing-field</c>).</summary>
    public static string Name<T>(T value) where T : struct, Enum
    {
        string s = value.ToString();
        var sb = new StringBuilder(s.Length + 4);
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsUpper(s[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(s[i]));
        }

        return sb.ToString();
    }
}
