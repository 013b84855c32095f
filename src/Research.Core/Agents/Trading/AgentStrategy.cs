using Research.Core.Backtesting;
using Research.Core.Environments;
using Research.Core.Environments.Trading;

namespace Research.Core.Agents.Trading;

/// <summary>One decision of an <see cref="AgentStrategy"/>: the day, the agent that decided and its action (clipped to [−1, 1]).</summary>
/// <param name="Date">The day (orders fill at the next fill opportunity).</param>
/// <param name="Label">The agent's label.</param>
/// <param name="Action">The action, one value per ticker.</param>
public sealed record AgentDecision(DateOnly Date, string Label, float[] Action);

/// <summary>Which agent trades from which day on: one entry for a single agent, one per window for FinRL's ensemble.</summary>
/// <param name="Start">Panel index of the first day the agent decides on.</param>
/// <param name="Agent">The agent.</param>
/// <param name="Label">What the reports call it (e.g. "PPO").</param>
public sealed record AgentSegment(int Start, IAgent Agent, string Label);

/// <summary>
/// A trained agent as a backtester strategy. After each close it builds the environment's state from the portfolio
/// (cash, today's closes, shares held) and the same indicator and forecast blocks the agent trained on, asks the agent
/// for its deterministic action and turns it into orders as the environment does: <c>a · hmax</c> truncated toward 0
/// to whole shares; sells of held tickers first, in ascending order of that action and at most the holding; then buys
/// in descending order. The orders fill at the backtester's next fill opportunity (the next open by default) through
/// the same execution as the environment's backtest-grade mode (costs, cash limit, participation cap, risk manager);
/// unfilled remainders are cancelled at the next decision. With same-close fills the result is the environment's, fill for fill.
/// </summary>
public sealed class AgentStrategy : IStrategy
{
    private readonly TradingData _data;
    private readonly int _hmax;
    private readonly IReadOnlyList<AgentSegment> _segments;
    private readonly float[] _obs, _action, _clipped;
    private readonly int[] _quantity, _order;
    private readonly List<AgentDecision> _used = [];

    /// <summary>
    /// A strategy trading <paramref name="segments"/> (sorted by start) with the state blocks of <paramref name="data"/>,
    /// which must cover every day the strategy decides on.
    /// </summary>
    public AgentStrategy(string name, TradingData data, int hmax, IReadOnlyList<AgentSegment> segments)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hmax, 1);
        if (segments.Count == 0) throw new ArgumentException("At least one agent is needed.", nameof(segments));
        for (int i = 1; i < segments.Count; i++)
        {
            if (segments[i].Start <= segments[i - 1].Start) throw new ArgumentException("Segments must start on increasing days.", nameof(segments));
        }

        foreach (var s in segments)
        {
            if (s.Agent.ObservationSpace.FlatSize != data.StateSize || s.Agent.ActionSpace.FlatSize != data.TickerCount)
            {
                throw new ArgumentException($"Agent '{s.Label}' takes {s.Agent.ObservationSpace.FlatSize} observations and {s.Agent.ActionSpace.FlatSize} actions; the data's state has {data.StateSize} values for {data.TickerCount} tickers.", nameof(segments));
            }
        }

        Name = name;
        _data = data;
        _hmax = hmax;
        _segments = segments;
        _obs = new float[data.StateSize];
        _action = new float[data.TickerCount];
        _clipped = new float[data.TickerCount];
        _quantity = new int[data.TickerCount];
        _order = new int[data.TickerCount];
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Every decision so far: the day, the agent and its action.</summary>
    public IReadOnlyList<AgentDecision> Decisions => _used;

    /// <inheritdoc />
    public void OnBar(StrategyContext context)
    {
        int t = context.Today, d = t - _data.PanelStart;
        if (d < 0 || d >= _data.Days - 1 || t < _segments[0].Start) return; // the environment's last day is not traded either
        var segment = _segments[0];
        foreach (var s in _segments)
        {
            if (s.Start <= t) segment = s;
        }

        context.Cancel();
        int n = _data.TickerCount;
        var portfolio = context.Portfolio;
        _obs[0] = (float)portfolio.Cash;
        _data.CloseF.AsSpan(d * n, n).CopyTo(_obs.AsSpan(1));
        for (int k = 0; k < n; k++) _obs[1 + n + k] = (float)portfolio.Quantity(k);
        int b = _data.BlocksF.Length / _data.Days;
        _data.BlocksF.AsSpan(d * b, b).CopyTo(_obs.AsSpan(1 + 2 * n));
        segment.Agent.Predict(_obs, _action);
        ((BoxSpace)segment.Agent.ActionSpace).ClipAction(_action, _clipped);
        _used.Add(new AgentDecision(context.Date, segment.Label, [.. _clipped]));

        float hmax = _hmax;
        int m = 0;
        for (int k = 0; k < n; k++)
        {
            _quantity[k] = (int)(_clipped[k] * hmax);
            if (_quantity[k] > 0 || (_quantity[k] < 0 && portfolio.Quantity(k) > 0)) _order[m++] = k;
        }

        // Stable order by (action, ticker): sells from the front, buys from the back (FinRL's argsort and its reverse).
        var order = _order.AsSpan(0, m);
        order.Sort((i, j) => _quantity[i] != _quantity[j] ? _quantity[i].CompareTo(_quantity[j]) : i.CompareTo(j));
        foreach (int k in order)
        {
            if (_quantity[k] >= 0) break;
            context.Submit(new Order(k, -Math.Min(-_quantity[k], portfolio.Quantity(k)), Tag: "rl-sell"));
        }

        for (int i = order.Length - 1; i >= 0 && _quantity[order[i]] > 0; i--) context.Submit(new Order(order[i], _quantity[order[i]], Tag: "rl-buy"));
    }
}
