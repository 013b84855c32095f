using System.Globalization;

namespace Research.Core.Risk;

/// <summary>
/// Pre-trade checks on every order (position size, leverage, net exposure, gross value, order value, ADV participation,
/// concentration: an order that would breach a limit is cut to the largest size that does not, or rejected), post-trade
/// exits (stop-loss, take-profit, trailing stop), a portfolio drawdown circuit breaker, and exposure scaling (volatility
/// targeting, drawdown scale-down, turbulence de-risking) that strategies' target weights pass through. Every action is
/// logged in <see cref="Interventions"/> with its rule and numbers.
/// </summary>
public sealed class RiskManager
{
    private readonly List<Intervention> _log = [];
    private double[] _peakSinceEntry = [];
    private double _equityPeak = double.NaN;
    private bool _scaledDown;
    private double _lastScale = 1;

    /// <summary>Creates a manager enforcing <paramref name="limits"/>.</summary>
    public RiskManager(RiskLimits limits) => Limits = limits.Validate();

    /// <summary>The limits.</summary>
    public RiskLimits Limits { get; }

    /// <summary>Every intervention so far.</summary>
    public IReadOnlyList<Intervention> Interventions => _log;

    /// <summary>True once the drawdown breaker has flattened and halted the book.</summary>
    public bool Halted { get; private set; }

    /// <summary>Logs an intervention.</summary>
    public void Log(DateOnly date, string rule, string subject, string action, string detail) =>
        _log.Add(new Intervention(date, rule, subject, action, detail));

    /// <summary>
    /// The largest part of an order of <paramref name="quantity"/> shares of ticker <paramref name="k"/> at
    /// <paramref name="price"/> that keeps every pre-trade limit after the trade (equity net of the trade's costs, at
    /// <paramref name="costRate"/> of traded value); 0 rejects it. Exposure limits let risk-reducing parts pass; the
    /// execution limits (order value, ADV participation) apply to every order.
    /// </summary>
    public double Approve(DateOnly date, string symbol, int k, double quantity, double price, double adv, IPortfolioView p, double costRate = 0)
    {
        if (quantity == 0 || !(price > 0)) return 0;
        double held = p.Quantity(k);
        if (Halted && Math.Abs(held + quantity) > Math.Abs(held))
        {
            Log(date, "drawdown-breaker", symbol, "rejected", "trading halted; only risk-reducing orders pass");
            return 0;
        }

        // The part that only reduces |position| is always allowed.
        double reducing = Math.Sign(quantity) != Math.Sign(held) || held == 0 ? Math.Min(Math.Abs(quantity), Math.Abs(held)) : 0;
        double approved = Math.Abs(quantity);
        string? binding = null;
        double Check(double x, string rule, Func<double, bool> ok, bool execution = false)
        {
            double floor = execution ? 0 : reducing;
            if ((!execution && x <= reducing) || ok(x)) return x;
            double lo = floor, hi = x;
            for (int i = 0; i < 60; i++)
            {
                double mid = (lo + hi) / 2;
                if (ok(mid)) lo = mid;
                else hi = mid;
            }

            binding = rule;
            return lo;
        }

        double sign = Math.Sign(quantity), equity = p.Equity, startEquity = equity;
        double EquityAfter(double x) => startEquity - x * price * costRate;
        double gross = p.GrossExposure, net = p.NetExposure;
        double Position(double x) => Math.Abs(held + sign * x) * price;
        double GrossAfter(double x) => gross - Math.Abs(held) * price + Position(x);
        approved = Check(approved, "max-position", x => Position(x) <= Limits.MaxPositionPct * EquityAfter(x));
        approved = Check(approved, "max-leverage", x => GrossAfter(x) <= Limits.MaxLeverage * EquityAfter(x));
        approved = Check(approved, "max-gross-value", x => GrossAfter(x) <= Limits.MaxGrossValue);
        approved = Check(approved, "max-net-exposure", x => Math.Abs(net + sign * x * price) <= Limits.MaxNetExposure * EquityAfter(x));
        approved = Check(approved, "max-order-value", x => x * price <= Limits.MaxOrderValue, execution: true);
        if (adv > 0) approved = Check(approved, "max-adv-participation", x => x <= Limits.MaxAdvParticipation * adv, execution: true);
        if (double.IsFinite(Limits.MaxConcentration))
        {
            approved = Check(approved, "max-concentration", x =>
            {
                double g = GrossAfter(x);
                return g <= 0 || Position(x) <= Limits.MaxConcentration * g || Position(x) <= Limits.MaxConcentration * EquityAfter(x);
            });
        }

        approved = Math.Floor(approved + 1e-9);
        if (binding is not null)
        {
            Log(date, binding, symbol, approved > 0 ? "resized" : "rejected", string.Create(CultureInfo.InvariantCulture,
                $"order {quantity:N0} → {sign * approved:N0} shares at {price:F2}; equity {equity:N0}, gross {gross:N0}, net {net:N0}, held {held:N0}"));
        }

        return sign * approved;
    }

    /// <summary>
    /// End-of-day checks at the close: updates peaks, appends to <paramref name="exits"/> the positions whose stop-loss,
    /// take-profit or trailing stop triggered (to execute at the next fill), and trips the drawdown breaker (whose
    /// flatten-and-halt exits every position).
    /// </summary>
    public void AfterClose(DateOnly date, IReadOnlyList<string> symbols, IPortfolioView p, List<RiskExit> exits)
    {
        if (_peakSinceEntry.Length != p.Count)
        {
            _peakSinceEntry = new double[p.Count];
            Array.Fill(_peakSinceEntry, double.NaN);
        }

        double equity = p.Equity;
        _equityPeak = double.IsNaN(_equityPeak) ? equity : Math.Max(_equityPeak, equity);
        if (_scaledDown && equity >= _equityPeak)
        {
            _scaledDown = false;
            Log(date, "drawdown-breaker", "portfolio", "restored", "equity at a new high; full exposure again");
        }

        double drawdown = 1 - equity / _equityPeak;
        if (!Halted && double.IsFinite(Limits.MaxDrawdown) && drawdown >= Limits.MaxDrawdown)
        {
            string detail = string.Create(CultureInfo.InvariantCulture, $"drawdown {drawdown:P2} ≥ limit {Limits.MaxDrawdown:P2} (equity {equity:N0}, peak {_equityPeak:N0})");
            if (Limits.DrawdownAction == DrawdownAction.FlattenAndHalt)
            {
                Halted = true;
                Log(date, "drawdown-breaker", "portfolio", "flatten-and-halt", detail);
                for (int k = 0; k < p.Count; k++)
                {
                    if (p.Quantity(k) != 0) exits.Add(new RiskExit(k, -p.Quantity(k), "drawdown-breaker"));
                }

                return;
            }

            if (!_scaledDown)
            {
                _scaledDown = true;
                Log(date, "drawdown-breaker", "portfolio", $"scale-down ×{Limits.DrawdownScale.ToString(CultureInfo.InvariantCulture)}", detail);
            }
        }

        for (int k = 0; k < p.Count; k++)
        {
            double q = p.Quantity(k), mark = p.Mark(k), cost = p.AverageCost(k);
            if (q == 0 || !(mark > 0) || !(cost > 0))
            {
                _peakSinceEntry[k] = double.NaN;
                continue;
            }

            double best = double.IsNaN(_peakSinceEntry[k]) ? mark : q > 0 ? Math.Max(_peakSinceEntry[k], mark) : Math.Min(_peakSinceEntry[k], mark);
            _peakSinceEntry[k] = best;
            double ret = q > 0 ? mark / cost - 1 : 1 - mark / cost;
            double fromBest = q > 0 ? 1 - mark / best : mark / best - 1;
            string? rule = null;
            if (double.IsFinite(Limits.StopLoss) && ret <= -Limits.StopLoss) rule = "stop-loss";
            else if (double.IsFinite(Limits.TakeProfit) && ret >= Limits.TakeProfit) rule = "take-profit";
            else if (double.IsFinite(Limits.TrailingStop) && fromBest >= Limits.TrailingStop) rule = "trailing-stop";
            if (rule is null) continue;
            exits.Add(new RiskExit(k, -q, rule));
            _peakSinceEntry[k] = double.NaN;
            Log(date, rule, symbols[k], "exit", string.Create(CultureInfo.InvariantCulture,
                $"{q:N0} shares, close {mark:F2}, average cost {cost:F2} ({ret:P2}), best {best:F2} ({fromBest:P2} off)"));
        }
    }

    /// <summary>
    /// The multiplier applied to a strategy's target weights: drawdown scale-down × volatility targeting
    /// (target / realised annualised volatility of the last portfolio returns, capped) × 0 when turbulence is above the
    /// threshold. Changes of more than 0.05 (or to and from 0) are logged with the rule that set them.
    /// </summary>
    public double ExposureScale(DateOnly date, ReadOnlySpan<double> recentReturns, double turbulence, double periodsPerYear = 252)
    {
        double scale = Halted ? 0 : 1;
        if (_scaledDown) scale *= Limits.DrawdownScale;
        double vol = double.NaN;
        if (double.IsFinite(Limits.TargetVolatility) && recentReturns.Length >= Limits.VolatilityLookback)
        {
            var r = recentReturns[^Limits.VolatilityLookback..];
            double mean = 0;
            foreach (var x in r) mean += x;
            mean /= r.Length;
            double ss = 0;
            foreach (var x in r) ss += (x - mean) * (x - mean);
            vol = Math.Sqrt(ss / (r.Length - 1) * periodsPerYear);
            scale *= vol > 0 ? Math.Min(Limits.MaxVolatilityScale, Limits.TargetVolatility / vol) : Limits.MaxVolatilityScale;
        }

        bool turbulent = double.IsFinite(Limits.TurbulenceThreshold) && turbulence > Limits.TurbulenceThreshold;
        if (turbulent) scale = 0;
        if (Math.Abs(scale - _lastScale) > 0.05 || (scale == 0) != (_lastScale == 0))
        {
            var reasons = new List<string>(3);
            if (Halted) reasons.Add("trading halted by the drawdown breaker");
            if (_scaledDown) reasons.Add("drawdown scale-down");
            if (!double.IsNaN(vol)) reasons.Add(string.Create(CultureInfo.InvariantCulture, $"volatility target {Limits.TargetVolatility:P1} / realised {vol:P1}"));
            if (turbulent) reasons.Add(string.Create(CultureInfo.InvariantCulture, $"turbulence {turbulence:F1} > {Limits.TurbulenceThreshold:F1}"));
            string rule = turbulent ? "turbulence" : !double.IsNaN(vol) ? "volatility-target" : _scaledDown || Halted ? "drawdown-breaker" : "exposure";
            Log(date, rule, "portfolio", string.Create(CultureInfo.InvariantCulture, $"exposure ×{scale:F2}"),
                reasons.Count > 0 ? string.Join("; ", reasons) : "back to full exposure");
            _lastScale = scale;
        }

        return scale;
    }

    /// <summary>Fractional Kelly weight from a signal's expected return (edge) and its variance, capped at ±<see cref="RiskLimits.KellyCap"/>.</summary>
    public double KellyWeight(double edge, double variance)
    {
        if (!double.IsFinite(edge) || !(variance > 0)) return 0;
        return Math.Clamp(Limits.KellyFraction * edge / variance, -Limits.KellyCap, Limits.KellyCap);
    }
}
