using Research.Core.Data;
using Research.Core.Features;
using Research.Core.Models;

namespace Research.Core.Environments;

/// <summary>What one step returned.</summary>
public sealed record StepResult(double[] State, double Reward, bool Done, double PortfolioValue, double Costs, int Trades);

/// <summary>
/// A FinRL-style multi-stock trading environment over a block of dates. State at day t (all known at t's close):
/// [cash, close × k, shares held × k, each feature × k, and in the hybrid variant the forecaster's expected return,
/// probability up and confidence × k]. An action in [−1, 1]ᵏ trades round(a · hmax) shares per ticker at t's close,
/// sells before buys, buys limited by cash, proportional costs; at or above the turbulence threshold everything is
/// sold and no buying happens. The day then advances; the reward is the change in portfolio value (cash + holdings at
/// t + 1's close) × the reward scaling. Missing features and forecasts enter the state as 0.
/// </summary>
public sealed class StockTradingEnv
{
    private readonly MarketPanel _panel;
    private readonly FeatureSet? _features;
    private readonly ForecastSignals? _forecasts;
    private readonly double[]? _turbulence;
    private readonly int _start, _end;
    private readonly double[] _holdings;
    private int _day;
    private double _cash;

    /// <summary>Creates the environment over dates [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public StockTradingEnv(MarketPanel panel, int start, int end, TradingEnvConfig config, FeatureSet? features = null,
        ForecastSignals? forecasts = null, double[]? turbulence = null)
    {
        Config = config.Validate();
        if (start < 0 || end > panel.DateCount || end - start < 2) throw new ArgumentOutOfRangeException(nameof(end), $"[{start}, {end}) is not a range of at least 2 of {panel.DateCount} dates.");
        if (features is not null && (features.DateCount != panel.DateCount || features.TickerCount != panel.TickerCount))
        {
            throw new ArgumentException("features must be on the panel's calendar and tickers.", nameof(features));
        }

        if (forecasts is not null && forecasts.ExpectedReturn.Length != panel.DateCount * panel.TickerCount)
        {
            throw new ArgumentException($"forecasts have {forecasts.ExpectedReturn.Length} values; expected {panel.TickerCount} × {panel.DateCount}.", nameof(forecasts));
        }

        if (turbulence is not null && turbulence.Length != panel.DateCount) throw new ArgumentException($"turbulence has {turbulence.Length} values; the panel has {panel.DateCount} dates.", nameof(turbulence));
        _panel = panel;
        _features = features;
        _forecasts = forecasts;
        _turbulence = turbulence;
        _start = start;
        _end = end;
        _holdings = new double[panel.TickerCount];
        Reset();
    }

    /// <summary>The settings.</summary>
    public TradingEnvConfig Config { get; }

    /// <summary>Number of tickers (the action's length).</summary>
    public int ActionSize => _panel.TickerCount;

    /// <summary>Length of the state vector.</summary>
    public int StateSize => 1 + _panel.TickerCount * (2 + (_features?.Names.Count ?? 0) + (_forecasts is null ? 0 : 3));

    /// <summary>The current day (panel index).</summary>
    public int Day => _day;

    /// <summary>Cash plus holdings at the current day's close.</summary>
    public double PortfolioValue
    {
        get
        {
            double v = _cash;
            for (int k = 0; k < _holdings.Length; k++) v += _holdings[k] * Price(k, _day);
            return v;
        }
    }

    /// <summary>Starts an episode at the first day with the initial cash and no holdings; returns the state.</summary>
    public double[] Reset()
    {
        _day = _start;
        _cash = Config.InitialCash;
        Array.Clear(_holdings);
        return State();
    }

    /// <summary>Trades <paramref name="action"/> at today's close and moves to the next day.</summary>
    public StepResult Step(ReadOnlySpan<double> action)
    {
        if (action.Length != ActionSize) throw new ArgumentException($"action has {action.Length} values; the environment trades {ActionSize} tickers.", nameof(action));
        if (_day >= _end - 1) throw new InvalidOperationException("The episode is over; call Reset().");
        double before = PortfolioValue, costs = 0;
        int trades = 0;
        bool turbulent = _turbulence is not null && _turbulence[_day] >= Config.TurbulenceThreshold;
        var shares = new double[ActionSize];
        for (int k = 0; k < shares.Length; k++)
        {
            double a = Math.Clamp(double.IsFinite(action[k]) ? action[k] : 0, -1, 1);
            shares[k] = turbulent ? -_holdings[k] : Math.Round(a * Config.HMax);
        }

        var order = Enumerable.Range(0, shares.Length).OrderBy(k => shares[k]).ToArray();
        foreach (int k in order)
        {
            double price = Price(k, _day);
            if (shares[k] == 0 || !(price > 0)) continue;
            if (shares[k] < 0)
            {
                double sell = Math.Min(-shares[k], _holdings[k]);
                if (sell <= 0) continue;
                double value = sell * price, cost = value * Config.SellCostPct;
                _holdings[k] -= sell;
                _cash += value - cost;
                costs += cost;
                trades++;
            }
            else if (!turbulent)
            {
                double affordable = Math.Floor(_cash / (price * (1 + Config.BuyCostPct)));
                double buy = Math.Min(shares[k], affordable);
                if (buy <= 0) continue;
                double value = buy * price, cost = value * Config.BuyCostPct;
                _holdings[k] += buy;
                _cash -= value + cost;
                costs += cost;
                trades++;
            }
        }

        _day++;
        double after = PortfolioValue;
        return new StepResult(State(), (after - before) * Config.RewardScaling, _day >= _end - 1, after, costs, trades);
    }

    /// <summary>The state vector of the current day.</summary>
    public double[] State()
    {
        int k = _panel.TickerCount, n = _panel.DateCount;
        var s = new double[StateSize];
        s[0] = _cash;
        int at = 1;
        for (int j = 0; j < k; j++) s[at++] = Price(j, _day);
        for (int j = 0; j < k; j++) s[at++] = _holdings[j];
        if (_features is not null)
        {
            foreach (var name in _features.Names)
            {
                var column = _features.Column(name);
                for (int j = 0; j < k; j++) s[at++] = Finite(column[j * n + _day]);
            }
        }

        if (_forecasts is not null)
        {
            foreach (var series in new[] { _forecasts.ExpectedReturn, _forecasts.ProbabilityUp, _forecasts.Confidence })
            {
                for (int j = 0; j < k; j++) s[at++] = Finite(series[j * n + _day]);
            }
        }

        return s;
    }

    private double Price(int k, int t)
    {
        var c = _panel.Series(PriceField.Close, k);
        for (int u = t; u >= 0; u--) if (c[u] > 0) return c[u];
        return 0;
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;
}
