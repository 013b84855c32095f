namespace Research.Core.Backtesting.Costs;

/// <summary>How slippage is charged.</summary>
public enum SlippageKind
{
    /// <summary>A fixed number of basis points of the price.</summary>
    FixedBps,

    /// <summary>A multiple of the daily volatility of returns (σ over the last 20 days) times the price.</summary>
    VolatilityScaled,
}

/// <summary>How market impact is charged.</summary>
public enum ImpactKind
{
    /// <summary>No market impact.</summary>
    None,

    /// <summary>Square-root law: η · σ · √(Q / ADV) of the price per share.</summary>
    SquareRoot,

    /// <summary>Almgren–Chriss linear: temporary η · (Q / ADV) plus half the permanent γ · (Q / ADV), of the price per share.</summary>
    AlmgrenChriss,
}

/// <summary>
/// The composable cost model (all components optional, all on by default at conservative levels). Per share of a fill
/// of Q shares at reference price P, with σ the volatility of bar returns and ADV the average volume over the
/// engine's statistics window (20 bars by default, all before the fill): half-spread P·h, slippage P·s (fixed) or P·k·σ (scaled), impact
/// P·η·σ·√(Q/ADV) (square root) or P·(η_t + γ/2)·Q/ADV (Almgren–Chriss); the execution price moves against the trade by
/// their sum, but never past the range the fill must stay in (the engine's: the bar's high for buys, its low for sells,
/// narrowed by a limit): when the sum would cross it, the fill is at that bound and spread, slippage and impact are all
/// scaled by the same factor, so each charges only what was applied.
/// Commission: max(minimum, per-share × Q) or pct × Q × price. Daily: a borrow fee on short market value and
/// interest on positive cash, each an annual rate / the engine's periods per year (252 for daily bars).
/// </summary>
public sealed record CostModel
{
    /// <summary>Commission per share (used when <see cref="CommissionPct"/> is 0).</summary>
    public double CommissionPerShare { get; init; }

    /// <summary>Minimum commission per fill (per-share commissions only).</summary>
    public double CommissionMinimum { get; init; }

    /// <summary>Commission as a fraction of traded value (e.g. 0.001 = 10 bps).</summary>
    public double CommissionPct { get; init; } = 0.001;

    /// <summary>Half the bid-ask spread in basis points of the price.</summary>
    public double HalfSpreadBps { get; init; } = 2;

    /// <summary>Slippage model.</summary>
    public SlippageKind Slippage { get; init; } = SlippageKind.FixedBps;

    /// <summary>Fixed slippage in basis points, or the σ multiple for <see cref="SlippageKind.VolatilityScaled"/>.</summary>
    public double SlippageValue { get; init; } = 1;

    /// <summary>Impact model.</summary>
    public ImpactKind Impact { get; init; } = ImpactKind.SquareRoot;

    /// <summary>η: square-root coefficient, or Almgren–Chriss temporary coefficient.</summary>
    public double ImpactCoefficient { get; init; } = 0.1;

    /// <summary>γ: Almgren–Chriss permanent coefficient.</summary>
    public double PermanentCoefficient { get; init; } = 0.05;

    /// <summary>Annual borrow fee on short market value.</summary>
    public double BorrowFeeAnnual { get; init; } = 0.005;

    /// <summary>Annual interest on positive cash (0: none).</summary>
    public double CashInterestAnnual { get; init; }

    /// <summary>No costs at all (for comparisons only: every reported result keeps costs on).</summary>
    public static CostModel Zero { get; } = new()
    {
        CommissionPct = 0, HalfSpreadBps = 0, SlippageValue = 0, Impact = ImpactKind.None, BorrowFeeAnnual = 0,
    };

    /// <summary>Checks every setting; the message names the bad one.</summary>
    public CostModel Validate()
    {
        foreach (var (v, name) in new[]
                 {
                     (CommissionPerShare, nameof(CommissionPerShare)), (CommissionMinimum, nameof(CommissionMinimum)), (CommissionPct, nameof(CommissionPct)),
                     (HalfSpreadBps, nameof(HalfSpreadBps)), (SlippageValue, nameof(SlippageValue)), (ImpactCoefficient, nameof(ImpactCoefficient)),
                     (PermanentCoefficient, nameof(PermanentCoefficient)), (BorrowFeeAnnual, nameof(BorrowFeeAnnual)), (CashInterestAnnual, nameof(CashInterestAnnual)),
                 })
        {
            if (!(v >= 0) || double.IsInfinity(v)) throw new ArgumentOutOfRangeException(name, v, $"{name} must be a finite number ≥ 0.");
        }

        return this;
    }

    /// <summary>Costs of a fill of <paramref name="quantity"/> shares (signed) at <paramref name="reference"/>, with no price range to stay in; returns the execution price.</summary>
    public double Price(double quantity, double reference, double sigma, double adv, out CostBreakdown costs) =>
        Price(quantity, reference, sigma, adv, double.NegativeInfinity, double.PositiveInfinity, out costs);

    /// <summary>
    /// Costs of a fill of <paramref name="quantity"/> shares (signed) at <paramref name="reference"/> whose execution price
    /// must stay inside [<paramref name="low"/>, <paramref name="high"/>] (the bar's range, narrowed by a limit price): when
    /// spread + slippage + impact would move a buy above <paramref name="high"/> (a sell below <paramref name="low"/>), the
    /// fill is at that bound and the three components are scaled by the same factor to the move applied (to 0 when the
    /// reference is already at or past the bound). A NaN bound does not cap. Returns the execution price.
    /// </summary>
    public double Price(double quantity, double reference, double sigma, double adv, double low, double high, out CostBreakdown costs)
    {
        double q = Math.Abs(quantity);
        double spread = reference * HalfSpreadBps / 1e4;
        double slip = Slippage == SlippageKind.FixedBps ? reference * SlippageValue / 1e4 : reference * SlippageValue * Sanitize(sigma);
        double participation = adv > 0 ? q / adv : 0;
        double impact = Impact switch
        {
            ImpactKind.SquareRoot => reference * ImpactCoefficient * Sanitize(sigma) * Math.Sqrt(participation),
            ImpactKind.AlmgrenChriss => reference * (ImpactCoefficient + PermanentCoefficient / 2) * participation,
            _ => 0,
        };
        double perShare = spread + slip + impact;
        double price = reference + Math.Sign(quantity) * perShare;
        double room = quantity > 0 ? high - reference : quantity < 0 ? reference - low : double.NaN;
        if (perShare > room)
        {
            // The bound binds: fill exactly at it (or at the reference when that is already at or past it).
            double scale = room > 0 ? room / perShare : 0;
            spread *= scale;
            slip *= scale;
            impact *= scale;
            price = room > 0 ? (quantity > 0 ? high : low) : reference;
        }

        double commission = CommissionPct > 0 ? CommissionPct * q * price : Math.Max(CommissionMinimum, CommissionPerShare * q);
        if (q == 0) commission = 0;
        costs = new CostBreakdown(commission, spread * q, slip * q, impact * q);
        return price;
    }

    private static double Sanitize(double sigma) => double.IsFinite(sigma) && sigma > 0 ? sigma : 0;
}
