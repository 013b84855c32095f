using System.Globalization;

namespace Research.Core.Data.Quality;

/// <summary>
/// Checks one ticker's rows and applies the policy's row-level repairs: ordering, duplicates, missing and
/// non-positive values, volume, high/low consistency, and flags outlier returns. Calendar gaps are the
/// <see cref="QualityChecker"/>'s job, since they need every ticker.
/// </summary>
internal sealed class SeriesCleaner
{
    private readonly QualityPolicy _policy;
    private readonly List<Defect> _defects;
    private readonly List<Repair> _repairs;

    public SeriesCleaner(QualityPolicy policy, List<Defect> defects, List<Repair> repairs)
    {
        _policy = policy;
        _defects = defects;
        _repairs = repairs;
    }

    /// <summary>Cleans <paramref name="s"/>; returns null with a reason when a defect's action is Reject.</summary>
    public (BarSeries? Clean, string? RejectReason, HashSet<long> Dropped) Clean(BarSeries s)
    {
        var dropped = new HashSet<long>();
        string? reject = null;
        void Rejects(RepairAction action, string why) => reject ??= action == RepairAction.Reject ? why : null;

        // 1. Order: a stable sort keeps file order among equal dates, so "first" still means first in the file.
        var order = Enumerable.Range(0, s.Count).ToArray();
        int unsorted = FirstUnsorted(s);
        if (unsorted > 0)
        {
            Add(DefectKind.UnsortedRows, s, unsorted, null,
                $"row dated {s.Stamp(unsorted)} follows {s.Stamp(unsorted - 1)} (line {s.Lines[unsorted - 1]})");
            Rejects(_policy.UnsortedRows, $"rows out of date order at line {s.Lines[unsorted]}");
            order = order.OrderBy(s.Key).ToArray(); // LINQ OrderBy is stable
        }

        // 2. Duplicates.
        var keep = new List<int>(order.Length);
        for (int a = 0; a < order.Length;)
        {
            int b = a + 1;
            while (b < order.Length && s.Key(order[b]) == s.Key(order[a])) b++;
            if (b - a > 1)
            {
                int first = order[a];
                for (int k = a + 1; k < b; k++)
                {
                    Add(DefectKind.DuplicateDate, s, order[k], null, $"date also on line {s.Lines[first]}");
                }

                Rejects(_policy.DuplicateDates, $"duplicate date {s.Stamp(first)} at line {s.Lines[order[a + 1]]}");
                keep.Add(_policy.DuplicateDates == RepairAction.KeepLast ? order[b - 1] : first);
            }
            else
            {
                keep.Add(order[a]);
            }

            a = b;
        }

        var x = s.Select(keep);
        if (unsorted > 0 && reject is null)
        {
            _repairs.Add(new Repair(RepairAction.Sort, DefectKind.UnsortedRows, s.Ticker, s.Dates[unsorted], null, null,
                null, $"sorted {s.Count} rows by date"));
        }

        if (reject is null)
        {
            foreach (int row in order.Except(keep))
            {
                _repairs.Add(new Repair(_policy.DuplicateDates, DefectKind.DuplicateDate, s.Ticker, s.Dates[row], null,
                    null, null, $"dropped the duplicate on line {s.Lines[row]}"));
            }
        }

        // 3. Row checks on the original values, then repairs in a second pass once we know the file is kept.
        int n = x.Count;
        var flags = new RowFlags[n];
        for (int i = 0; i < n; i++)
        {
            flags[i] = Inspect(x, i);
            var f = flags[i];
            if (f.CloseBad) Rejects(_policy.MissingClose, $"missing or non-positive close at line {x.Lines[i]}");
            if (f.PriceBad != 0) Rejects(_policy.MissingPrice, $"missing or non-positive price at line {x.Lines[i]}");
            if (f.VolumeBad) Rejects(_policy.MissingVolume, $"missing or negative volume at line {x.Lines[i]}");
            if (f.ZeroVolume) Rejects(_policy.ZeroVolume, $"zero volume at line {x.Lines[i]}");
            if (f.RangeBad) Rejects(_policy.InconsistentRange, $"inconsistent high/low at line {x.Lines[i]}");
        }

        if (reject is not null)
        {
            Outliers(x, Enumerable.Range(0, n).Where(i => IsPrice(x.Close[i])).ToArray());
            return (null, reject, dropped);
        }

        var rows = new List<int>(n);
        for (int i = 0; i < n; i++)
        {
            if (Repair(x, i, flags[i], rows.Count > 0 ? rows[^1] : -1)) rows.Add(i);
            else dropped.Add(x.Key(i));
        }

        var clean = x.Select(rows);
        Outliers(clean, Enumerable.Range(0, clean.Count).Where(i => IsPrice(clean.Close[i])).ToArray());
        return (clean, null, dropped);
    }

    private RowFlags Inspect(BarSeries x, int i)
    {
        var f = new RowFlags();
        var missing = new List<string>(4);
        var nonPositive = new List<string>(4);
        void Price(double v, string name, int bit)
        {
            if (double.IsNaN(v)) missing.Add(name);
            else if (v <= 0) nonPositive.Add(name);
            else return;
            if (bit < 0) f.CloseBad = true;
            else f.PriceBad |= 1 << bit;
        }

        Price(x.Open[i], "Open", 0);
        Price(x.High[i], "High", 1);
        Price(x.Low[i], "Low", 2);
        Price(x.Close[i], "Close", -1);
        if (x.AdjClose is { } adj) Price(adj[i], "Adj Close", -1);
        if (double.IsNaN(x.Volume[i]))
        {
            missing.Add("Volume");
            f.VolumeBad = true;
        }

        if (missing.Count > 0) Add(DefectKind.MissingField, x, i, string.Join(", ", missing), "empty");
        if (nonPositive.Count > 0)
        {
            Add(DefectKind.NonPositivePrice, x, i, string.Join(", ", nonPositive),
                string.Join(", ", nonPositive.Select(p => Num(x.Column(p switch
                {
                    "Open" => PriceField.Open, "High" => PriceField.High, "Low" => PriceField.Low,
                    "Close" => PriceField.Close, _ => PriceField.AdjClose,
                })![i]))) + " ≤ 0");
        }

        if (x.Volume[i] < 0)
        {
            f.VolumeBad = true;
            Add(DefectKind.NegativeVolume, x, i, "Volume", Num(x.Volume[i]));
        }
        else if (x.Volume[i] == 0)
        {
            f.ZeroVolume = true;
            Add(DefectKind.ZeroVolume, x, i, "Volume", "0");
        }

        double o = x.Open[i], h = x.High[i], l = x.Low[i], c = x.Close[i];
        if (IsPrice(h) && IsPrice(l))
        {
            if (h < l)
            {
                f.RangeBad = true;
                Add(DefectKind.HighBelowLow, x, i, "High, Low", $"high {Num(h)} < low {Num(l)}");
            }
            else
            {
                if (IsPrice(o) && (o < l || o > h))
                {
                    f.RangeBad = true;
                    Add(DefectKind.OpenOutsideRange, x, i, "Open", $"open {Num(o)} outside [low {Num(l)}, high {Num(h)}]");
                }

                if (IsPrice(c) && (c < l || c > h))
                {
                    f.RangeBad = true;
                    Add(DefectKind.CloseOutsideRange, x, i, "Close", $"close {Num(c)} outside [low {Num(l)}, high {Num(h)}]");
                }
            }
        }

        return f;
    }

    /// <summary>Applies the policy to row <paramref name="i"/> in place; false when the row is dropped.</summary>
    private bool Repair(BarSeries x, int i, RowFlags f, int prev)
    {
        var date = x.Dates[i];
        bool Drop(DefectKind kind, string why)
        {
            _repairs.Add(new Repair(RepairAction.DropDay, kind, x.Ticker, date, null, null, null,
                $"dropped the row on line {x.Lines[i]} ({why})"));
            return false;
        }

        void Set(double[] col, string field, double value, RepairAction action, DefectKind kind, string how)
        {
            double before = col[i];
            col[i] = value;
            _repairs.Add(new Repair(action, kind, x.Ticker, date, field, double.IsNaN(before) ? null : before, value,
                $"{(double.IsNaN(before) ? "empty" : Num(before))} → {Num(value)} ({how})"));
        }

        DefectKind KindOf(double v) => double.IsNaN(v) ? DefectKind.MissingField : DefectKind.NonPositivePrice;

        if (f.CloseBad)
        {
            switch (_policy.MissingClose)
            {
                case RepairAction.DropDay:
                    return Drop(KindOf(x.Close[i]), "no usable close");
                case RepairAction.ForwardFill:
                    if (prev < 0) return Drop(KindOf(x.Close[i]), "no usable close and no earlier row to carry forward");
                    if (!IsPrice(x.Close[i])) Set(x.Close, "Close", x.Close[prev], RepairAction.ForwardFill, KindOf(x.Close[i]), "previous close");
                    if (x.AdjClose is { } adj && !IsPrice(adj[i]))
                    {
                        Set(adj, "Adj Close", x.Close[i] * adj[prev] / x.Close[prev], RepairAction.ForwardFill,
                            KindOf(adj[i]), "close × previous adjustment factor");
                    }

                    break;
            }
        }

        if (f.PriceBad != 0)
        {
            var (o, h, l, c) = (x.Open[i], x.High[i], x.Low[i], x.Close[i]);
            switch (_policy.MissingPrice)
            {
                case RepairAction.DropDay:
                    return Drop(KindOf(!IsPrice(o) ? o : !IsPrice(h) ? h : l), "missing or non-positive price");
                case RepairAction.FillFromClose when IsPrice(c):
                    // Fill from the close; a filled high (low) also covers the open and low (high) that remain.
                    double no = IsPrice(o) ? o : c;
                    double nh = IsPrice(h) ? h : Math.Max(c, Math.Max(no, IsPrice(l) ? l : c));
                    double nl = IsPrice(l) ? l : Math.Min(c, Math.Min(no, nh));
                    if (!IsPrice(o)) Set(x.Open, "Open", no, RepairAction.FillFromClose, KindOf(o), "from close");
                    if (!IsPrice(h)) Set(x.High, "High", nh, RepairAction.FillFromClose, KindOf(h), IsPrice(o) && nh > c ? "max of open and close" : "from close");
                    if (!IsPrice(l)) Set(x.Low, "Low", nl, RepairAction.FillFromClose, KindOf(l), IsPrice(o) && nl < c ? "min of open and close" : "from close");
                    break;
                case RepairAction.ForwardFill:
                    if (prev < 0) return Drop(KindOf(!IsPrice(o) ? o : !IsPrice(h) ? h : l), "missing price and no earlier row to carry forward");
                    if (!IsPrice(o)) Set(x.Open, "Open", x.Open[prev], RepairAction.ForwardFill, KindOf(o), "previous open");
                    if (!IsPrice(h)) Set(x.High, "High", x.High[prev], RepairAction.ForwardFill, KindOf(h), "previous high");
                    if (!IsPrice(l)) Set(x.Low, "Low", x.Low[prev], RepairAction.ForwardFill, KindOf(l), "previous low");
                    break;
            }
        }

        if (f.VolumeBad)
        {
            double v = x.Volume[i];
            var kind = double.IsNaN(v) ? DefectKind.MissingField : DefectKind.NegativeVolume;
            switch (_policy.MissingVolume)
            {
                case RepairAction.DropDay:
                    return Drop(kind, "missing or negative volume");
                case RepairAction.FillZero:
                    Set(x.Volume, "Volume", 0, RepairAction.FillZero, kind, "set to zero");
                    break;
                case RepairAction.ForwardFill:
                    if (prev < 0) return Drop(kind, "missing volume and no earlier row to carry forward");
                    Set(x.Volume, "Volume", x.Volume[prev], RepairAction.ForwardFill, kind, "previous volume");
                    break;
            }
        }

        if (f.ZeroVolume && _policy.ZeroVolume == RepairAction.DropDay) return Drop(DefectKind.ZeroVolume, "zero volume");

        if (!RangeOk(x, i))
        {
            // An inconsistency in the file follows the policy; one a fill created is always widened (and recorded).
            var action = f.RangeBad ? _policy.InconsistentRange : RepairAction.Widen;
            double o = x.Open[i], h = x.High[i], l = x.Low[i], c = x.Close[i];
            var kind = !f.RangeBad ? DefectKind.MissingField
                : h < l ? DefectKind.HighBelowLow
                : IsPrice(o) && (o < l || o > h) ? DefectKind.OpenOutsideRange : DefectKind.CloseOutsideRange;
            switch (action)
            {
                case RepairAction.DropDay:
                    return Drop(kind, "inconsistent high/low");
                case RepairAction.Widen:
                    double hi = MaxPrice(o, h, l, c), lo = MinPrice(o, h, l, c);
                    string how = f.RangeBad ? "widened to cover open and close" : "widened after filling a missing value";
                    if (hi != h) Set(x.High, "High", hi, RepairAction.Widen, kind, how);
                    if (lo != l) Set(x.Low, "Low", lo, RepairAction.Widen, kind, how);
                    break;
            }
        }

        return true;
    }

    private void Outliers(BarSeries x, int[] valid)
    {
        for (int k = 1; k < valid.Length; k++)
        {
            int i = valid[k], p = valid[k - 1];
            double r = x.Close[i] / x.Close[p] - 1;
            if (Math.Abs(r) > _policy.OutlierThreshold)
            {
                Add(DefectKind.OutlierReturn, x, i, "Close",
                    $"return {r.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture)} from {Num(x.Close[p])} on {x.Stamp(p)} to {Num(x.Close[i])} (threshold {_policy.OutlierThreshold.ToString("0.#%", CultureInfo.InvariantCulture)})");
            }
        }
    }

    private void Add(DefectKind kind, BarSeries s, int row, string? field, string detail) =>
        _defects.Add(new Defect(kind, s.Ticker, s.Dates[row], field, detail, s.Source, s.Lines[row]));

    private static int FirstUnsorted(BarSeries s)
    {
        for (int i = 1; i < s.Count; i++)
        {
            if (s.Key(i) < s.Key(i - 1)) return i;
        }

        return -1;
    }

    private static bool IsPrice(double v) => v > 0; // false for NaN too

    /// <summary>True unless a present high is below a present low or a present open/close lies outside them.</summary>
    private static bool RangeOk(BarSeries x, int i)
    {
        double o = x.Open[i], h = x.High[i], l = x.Low[i], c = x.Close[i];
        if (!IsPrice(h) || !IsPrice(l)) return true;
        if (h < l) return false;
        return !(IsPrice(o) && (o < l || o > h)) && !(IsPrice(c) && (c < l || c > h));
    }

    private static double MaxPrice(params double[] v) => v.Where(IsPrice).DefaultIfEmpty(double.NaN).Max();

    private static double MinPrice(params double[] v) => v.Where(IsPrice).DefaultIfEmpty(double.NaN).Min();

    internal static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private struct RowFlags
    {
        public bool CloseBad;
        public int PriceBad;
        public bool VolumeBad;
        public bool ZeroVolume;
        public bool RangeBad;
    }
}
