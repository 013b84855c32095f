using System.Numerics;
using System.Runtime.CompilerServices;
using Research.Core.Backtesting;
using Research.Core.Data;
using Research.Core.Features;
using Research.Core.Risk;

namespace Research.Core.Environments.Trading;

/// <summary>One fill of a backtest-grade step: shares (signed), execution price, the close it traded against, costs.</summary>
public readonly record struct EnvFill(int Ticker, double Quantity, double Price, double Reference, CostBreakdown Costs);

/// <summary>
/// FinRL's <c>StockTradingEnv</c>, exact (docs/environments.md lists every rule). State on day d, all known at d's close:
/// <c>[cash, close × n, shares × n, each indicator × n, (hybrid: expected return, probability up, confidence) × n]</c>.
/// An action in [−1, 1]ⁿ becomes <c>trunc(a · hmax)</c> shares (float32 product, as FinRL computes it from a float32
/// policy output); sells first, in ascending order of that integer (at most the holding), then buys in descending order,
/// each <c>min(cash // (close·(1 + buy_cost)), a)</c>; cash and cost by FinRL's formulas in FinRL's evaluation order.
/// Ties between equal integer actions go in ticker order for sells and reverse ticker order for buys (a stable sort;
/// FinRL's NumPy quicksort leaves tied order unspecified). At or above the turbulence threshold every holding is sold
/// and nothing bought. The day then advances; reward = (total asset after − before) × reward scaling.
/// With <see cref="TradingEnvConfig.Execution"/> set, trades go through the backtester's own order execution instead.
/// Stepping allocates nothing in FinRL-cost mode.
/// </summary>
public class StockTradingEnv : IEnv
{
    private readonly int _n, _blocks;
    private readonly float[] _closeF, _blocksF;
    private readonly double[] _holdings, _state, _executed;
    private readonly int[] _actions;
    private readonly int[] _keys;
    private readonly double[] _unit, _inverseUnit;
    private readonly int _tickerBits;
    private readonly int[] _order;
    private readonly double[] _close;
    private readonly bool[] _disabled;
    private readonly double _buyCost, _sellCost, _scaling, _threshold;
    private readonly bool _finrl;
    private readonly bool _disableCheck;
    private readonly float[] _clipped;
    private readonly OrderExecution? _execution;
    private readonly Order[] _orders;
    private readonly List<EnvFill> _fills = [];
    private Portfolio? _portfolio;
    private int _day;
    private double _cash, _cost, _turbulence, _reward;
    private CostBreakdown _costs;
    private int _trades;
    private bool _over;

    /// <summary>An environment over <paramref name="data"/>'s days.</summary>
    public StockTradingEnv(TradingData data, TradingEnvConfig config)
    {
        Config = config.Validate();
        Data = data;
        _n = data.TickerCount;
        if (config.InitialShares is { } init && init.Length != _n) throw new ArgumentException($"InitialShares has {init.Length} values; the environment trades {_n} tickers.", nameof(config));
        if (!double.IsNaN(config.TurbulenceThreshold) && data.Risk is null) throw new ArgumentException($"TurbulenceThreshold is set but the data has no '{data.RiskName}' column.", nameof(config));
        _blocks = data.IndicatorNames.Length + data.ExtraNames.Length;
        _closeF = data.CloseF; // the observation's float blocks, computed once per data and shared by every copy
        _blocksF = data.BlocksF;

        _holdings = new double[_n];
        _executed = new double[_n];
        _state = new double[data.StateSize];
        _actions = new int[_n];
        _tickerBits = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)Math.Max(1, _n - 1));
        if (((long)config.HMax << _tickerBits) >= 1L << 30) throw new ArgumentOutOfRangeException(nameof(config), config.HMax, $"HMax × {_n} tickers is too large (HMax < 2^{30 - _tickerBits}).");
        _keys = new int[(_n + Vector<int>.Count - 1) / Vector<int>.Count * Vector<int>.Count];
        (_unit, _inverseUnit) = data.BuyUnits(config.BuyCostPct); // FinRL's divisor close · (1 + buy_cost) and its reciprocal, shared
        _order = new int[_n];
        _close = data.Close;
        _buyCost = config.BuyCostPct;
        _sellCost = config.SellCostPct;
        _scaling = config.RewardScaling;
        _threshold = config.TurbulenceThreshold;
        _finrl = config.Semantics == EnvSemantics.FinRL;
        // FinRL's "disable" check (first indicator exactly 1), precomputed per day and ticker and shared: reading the
        // indicator blocks themselves in Step touched a new stretch of a large array every step.
        _disabled = _finrl ? data.FirstIndicatorIsOne : [];
        _disableCheck = Array.IndexOf(_disabled, true) >= 0;
        _clipped = new float[_n];
        ObservationSpace = BoxSpace.Uniform(float.NegativeInfinity, float.PositiveInfinity, data.StateSize);
        ActionSpace = BoxSpace.Uniform(-1, 1, _n);
        _orders = new Order[_n];
        for (int k = 0; k < _n; k++) _orders[k] = new Order(k, 1, Tag: "env");
        if (config.Execution is { } x)
        {
            var options = x with { InitialCash = config.InitialCash, Start = data.PanelStart, End = data.PanelStart + data.Days, Fill = FillTiming.SameClose };
            _execution = new OrderExecution(data.Panel, options.Validate(data.Panel.DateCount), options.Risk is { } limits ? new RiskManager(limits) : null);
        }

        Reset(null, new float[data.StateSize]);
    }

    /// <summary>FinRL's environment over days [<paramref name="start"/>, <paramref name="end"/>) of a panel, with the features' columns as indicators.</summary>
    public StockTradingEnv(MarketPanel panel, int start, int end, TradingEnvConfig config, FeatureSet? features = null, double[]? turbulence = null)
        : this(TradingData.FromPanel(panel, start, end, features, null, turbulence), config)
    {
    }

    /// <inheritdoc />
    public virtual string Id => "StockTrading";

    /// <inheritdoc />
    public Space ObservationSpace { get; }

    /// <inheritdoc />
    public Space ActionSpace { get; }

    /// <summary>The settings.</summary>
    public TradingEnvConfig Config { get; }

    /// <summary>The market data of the episode.</summary>
    public TradingData Data { get; }

    /// <summary>Number of tickers (the action's length).</summary>
    public int ActionSize => _n;

    /// <summary>Length of the state.</summary>
    public int StateSize => Data.StateSize;

    /// <summary>The current day (0 … D − 1).</summary>
    public int Day => _day;

    /// <summary>The current day's date.</summary>
    public DateOnly Date => Data.Dates[_day];

    /// <summary>Cash.</summary>
    public double Cash => _execution is null ? _cash : _portfolio!.Cash;

    /// <summary>Shares held per ticker.</summary>
    public ReadOnlySpan<double> Holdings => _holdings;

    /// <summary>Signed shares the last step traded per ticker (FinRL's <c>actions_memory</c> entry).</summary>
    public ReadOnlySpan<double> Executed => _executed;

    /// <summary>Cumulative trading cost of the episode (FinRL's <c>cost</c>; backtest-grade: commission + spread + slippage + impact).</summary>
    public double Cost => _cost;

    /// <summary>Backtest-grade mode: the episode's costs by component.</summary>
    public CostBreakdown Costs => _costs;

    /// <summary>Trades of the episode (FinRL's <c>trades</c> counter).</summary>
    public int Trades => _trades;

    /// <summary>Backtest-grade mode: the fills of the last step.</summary>
    public IReadOnlyList<EnvFill> StepFills => _fills;

    /// <summary>Backtest-grade mode: the risk manager's interventions so far.</summary>
    public IReadOnlyList<Intervention> Interventions => _execution?.Risk?.Interventions ?? [];

    /// <summary>True once the episode has ended (the next call must be a reset).</summary>
    public bool IsOver => _over;

    /// <summary>Cash plus holdings at the current day's close (FinRL's total asset).</summary>
    public double TotalAsset
    {
        get
        {
            if (_execution is not null) return _portfolio!.Equity;
            var close = _close.AsSpan(_day * _n, _n);
            double sum = 0;
            for (int k = 0; k < _n; k++) sum += close[k] * _holdings[k];
            return _cash + sum;
        }
    }

    /// <summary>Same as <see cref="TotalAsset"/>.</summary>
    public double PortfolioValue => TotalAsset;

    /// <summary>The exact (double) state of the current day, as FinRL's <c>self.state</c>.</summary>
    public ReadOnlySpan<double> State
    {
        get
        {
            _state[0] = Cash;
            Data.Close.AsSpan(_day * _n, _n).CopyTo(_state.AsSpan(1));
            _holdings.CopyTo(_state.AsSpan(1 + _n));
            int m = Data.IndicatorNames.Length * _n, e = Data.ExtraNames.Length * _n;
            Data.Indicators.AsSpan(_day * m, m).CopyTo(_state.AsSpan(1 + 2 * _n));
            Data.Extras.AsSpan(_day * e, e).CopyTo(_state.AsSpan(1 + 2 * _n + m));
            return _state;
        }
    }

    /// <inheritdoc />
    public void Reset(int? seed, Span<float> observation)
    {
        _day = 0;
        _cash = Config.InitialCash;
        _cost = 0;
        _costs = default;
        _trades = 0;
        _reward = 0;
        _over = false;
        _turbulence = Config.Semantics == EnvSemantics.FinRL || Data.Risk is null ? 0 : Data.Risk[0];
        if (Config.InitialShares is { } init) init.CopyTo(_holdings, 0);
        else Array.Clear(_holdings);
        Array.Clear(_executed);
        _fills.Clear();
        if (_execution is not null)
        {
            _portfolio = new Portfolio(Data.Tickers, Config.InitialCash);
            var close = _execution.Fields[(int)PriceField.Close];
            int N = Data.Panel.DateCount;
            for (int k = 0; k < _n; k++)
            {
                for (int t = Data.PanelStart; t >= 0; t--)
                {
                    if (close[k * N + t] > 0) { _portfolio.SetMark(k, close[k * N + t]); break; }
                }

                if (_holdings[k] > 0)
                {
                    // Initial holdings are given on top of the cash (FinRL's num_stock_shares), not bought.
                    _portfolio.Apply(new Fill(Data.Dates[0], k, Data.Tickers[k], _holdings[k], _portfolio.Mark(k), _portfolio.Mark(k), default, 0, "initial"));
                    _portfolio.Charge(-_holdings[k] * _portfolio.Mark(k));
                }
            }

            Finance();
        }

        Observe(observation);
    }

    /// <inheritdoc />
    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_over) throw new InvalidOperationException("The episode is over; call Reset().");
        var box = (BoxSpace)ActionSpace;
        box.ClipAction(action, _clipped); // length and finiteness checked before anything changes
        if (observation.Length != StateSize) throw new ArgumentException($"observation has room for {observation.Length} values; the state has {StateSize}.", nameof(observation));
        if (_day >= Data.Days - 1)
        {
            // FinRL: the call on the last day trades nothing and returns terminated with the last reward again.
            _over = true;
            Observe(observation);
            return new StepOutcome(_reward, true, false);
        }

        float hmax = Config.HMax;
        for (int k = 0; k < _n; k++)
        {
            float product = _clipped[k] * hmax;
            _actions[k] = (int)product;
        }

        bool turbulent = _turbulence >= _threshold; // false when the threshold is NaN (off)
        if (turbulent)
        {
            for (int k = 0; k < _n; k++) _actions[k] = -Config.HMax;
        }

        double begin = TotalAsset;

        // Sells in ascending order of the integer action (ties in ticker order), buys in descending order (ties in
        // reverse ticker order): a stable argsort and its reverse, as FinRL's argsort[:sells] and argsort[::-1][:buys].
        // A sell of a ticker not held does nothing in FinRL, so only held tickers take part.
        int sells = 0, buys = 0;
        for (int k = 0; k < _n; k++)
        {
            int a = _actions[k];
            if (a < 0 && _holdings[k] > 0) sells++;
            else if (a > 0) buys++;
        }

        var order = SortTrades(sells + buys);
        Array.Clear(_executed);
        _fills.Clear();
        for (int i = 0; i < sells; i++)
        {
            int k = order[i];
            _executed[k] = -(_execution is null ? Sell(k, _actions[k], turbulent) : ExecuteSell(k, turbulent));
        }

        for (int i = 0; i < buys; i++)
        {
            int k = order[sells + buys - 1 - i];
            _executed[k] = turbulent ? 0 : _execution is null ? Buy(k, _actions[k]) : Execute(k, _actions[k]);
        }

        _day++;
        if (Data.Risk is not null) _turbulence = Data.Risk[_day];
        if (_execution is not null)
        {
            var close = _execution.Fields[(int)PriceField.Close];
            int N = Data.Panel.DateCount, t = Data.PanelStart + _day;
            for (int k = 0; k < _n; k++) _portfolio!.SetMark(k, close[k * N + t]);
            Finance();
        }

        double end = TotalAsset;
        _reward = (end - begin) * _scaling;
        bool terminated = !_finrl && _day >= Data.Days - 1;
        _over = terminated;
        Observe(observation);
        return new StepOutcome(_reward, terminated, false);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object> Info() => new Dictionary<string, object>
    {
        ["day"] = _day,
        ["date"] = Date,
        ["cash"] = Cash,
        ["total_asset"] = TotalAsset,
        ["cost"] = _cost,
        ["trades"] = _trades,
        ["turbulence"] = _turbulence,
        ["executed"] = _executed.ToArray(),
        ["holdings"] = _holdings.ToArray(),
    };

    /// <summary>Steps with a double-precision action (rounded to float32 first, as a policy's output would be).</summary>
    public StepOutcome Step(ReadOnlySpan<double> action, Span<float> observation)
    {
        if (action.Length != _n) throw new ArgumentException($"action has {action.Length} values; the environment trades {_n} tickers.", nameof(action));
        Span<float> a = _n <= 256 ? stackalloc float[_n] : new float[_n];
        for (int k = 0; k < _n; k++) a[k] = (float)action[k];
        return Step(a, observation);
    }

    private void Observe(Span<float> obs)
    {
        obs[0] = (float)Cash;
        _closeF.AsSpan(_day * _n, _n).CopyTo(obs.Slice(1));
        var h = obs.Slice(1 + _n, _n);
        for (int k = 0; k < _n; k++) h[k] = (float)_holdings[k];
        int b = _blocks * _n;
        _blocksF.AsSpan(_day * b, b).CopyTo(obs.Slice(1 + 2 * _n));
    }

    /// <summary>
    /// The tickers that trade (held sells and buys) stably sorted by integer action into <c>_order</c>. Each ticker's
    /// key is (action, ticker), so keys are distinct and tied actions order by ticker; a key's rank is the number of keys
    /// below it, counted with SIMD compares: no data-dependent branches (a comparison sort of ~30 random keys spends
    /// most of its time in mispredicted branches).
    /// </summary>
    private ReadOnlySpan<int> SortTrades(int count)
    {
        var keys = _keys;
        int m = 0, bits = _tickerBits;
        for (int k = 0; k < _n; k++)
        {
            int a = _actions[k];
            if (a > 0 || (a < 0 && _holdings[k] > 0)) keys[m++] = (a << bits) | k;
        }

        int width = Vector<int>.Count, padded = (m + width - 1) / width * width, mask = (1 << bits) - 1;
        for (int i = m; i < padded; i++) keys[i] = int.MaxValue; // padding ranks after every key
        for (int i = 0; i < m; i++)
        {
            var key = new Vector<int>(keys[i]);
            var below = Vector<int>.Zero;
            for (int j = 0; j < padded; j += width) below += Vector.LessThan(new Vector<int>(keys, j), key); // −1 per key below
            _order[-Vector.Sum(below)] = keys[i] & mask;
        }

        return _order.AsSpan(0, count);
    }

    private bool Disabled(int k) => _disableCheck && _disabled[_day * _n + k];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Sell(int k, int action, bool turbulent)
    {
        double close = _close[_day * _n + k];
        double c = _sellCost;
        if (!(close > 0)) return 0; // no valid price: nothing trades (FinRL's data never has one)
        double shares;
        if (turbulent)
        {
            if (!(_holdings[k] > 0)) return 0;
            shares = _holdings[k];
        }
        else
        {
            if (Disabled(k) || !(_holdings[k] > 0)) return 0;
            shares = PythonMin(Math.Abs((double)action), _holdings[k]);
        }

        _cash += close * shares * (1 - c);
        _holdings[k] = turbulent ? 0 : _holdings[k] - shares;
        _cost += close * shares * c;
        _trades++;
        return shares;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Buy(int k, int action)
    {
        double close = _close[_day * _n + k];
        double c = _buyCost;
        if (!(close > 0) || Disabled(k)) return 0;
        int i = _day * _n + k;
        double unit = _unit[i];
        double available = _cash >= 0 && _cash < unit ? 0.0 : FloorDivide(_cash, unit, _inverseUnit[i]); // 0 ≤ a < b: Python's a // b is +0.0
        double shares = PythonMin(available, action);
        if (!_finrl && shares <= 0) return 0;
        _cash -= close * shares * (1 + c);
        _holdings[k] += shares;
        _cost += close * shares * c;
        _trades++;
        return shares;
    }

    private double ExecuteSell(int k, bool turbulent)
    {
        double held = _portfolio!.Quantity(k);
        double want = turbulent ? held : Math.Min(-_actions[k], held);
        return want > 0 ? -Execute(k, -want) : 0;
    }

    /// <summary>Fills <paramref name="want"/> shares of ticker <paramref name="k"/> at today's close through the backtester's execution.</summary>
    private double Execute(int k, double want)
    {
        var x = _execution!;
        int N = Data.Panel.DateCount, t = Data.PanelStart + _day, i = k * N + t;
        double reference = x.Fields[(int)PriceField.Close][i], volume = x.Fields[(int)PriceField.Volume][i];
        if (!(reference > 0)) return 0;
        double q = x.CapToVolume(want, volume, out bool capped);
        if (q == 0) return 0;
        _portfolio!.SetMark(k, reference);
        q = x.Approve(_orders[k], q, t, Data.Dates[_day], reference, _portfolio, null, ref capped, out double price, out var costs);
        if (q == 0) return 0;
        _portfolio.Apply(new Fill(Data.Dates[_day], k, Data.Tickers[k], q, price, reference, costs, 0, "env"));
        _holdings[k] = _portfolio.Quantity(k);
        _fills.Add(new EnvFill(k, q, price, reference, costs));
        _costs += costs;
        _cost += costs.Total;
        _trades++;
        return q;
    }

    private void Finance()
    {
        var (borrow, _) = _execution!.Finance(_portfolio!);
        _cost += borrow;
    }

    /// <summary>
    /// NumPy's (and Python's) float floor division <c>a // b</c>, bit for bit. Python computes it from <c>fmod</c> and
    /// snaps to the nearest integer, which equals the exact floor of a / b whenever the quotient is below 2⁵⁰; that
    /// floor is <c>⌊fl(a / b)⌋</c>, less one when the exactly-rounded remainder a − q·b (one fused multiply-add) is
    /// negative. Larger quotients, zero or non-finite operands take Python's own algorithm.
    /// </summary>
    internal static double PythonFloorDivide(double a, double b)
    {
        double quotient = a / b;
        if (Math.Abs(quotient) < 1125899906842624.0 /* 2^50 */ && b != 0 && double.IsFinite(a))
        {
            double q = Math.Floor(quotient);
            if (q == 0 && a == 0) return Math.CopySign(0.0, quotient);
            return Math.FusedMultiplyAdd(-q, b, a) * Math.Sign(b) < 0 ? q - 1 : q;
        }

        return PythonFloorDivideByFmod(a, b);
    }

    /// <summary>Python's <c>min(x, y)</c>: y when y &lt; x, else x (no NaN or signed-zero handling to pay for).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double PythonMin(double x, double y) => y < x ? y : x;

    /// <summary>
    /// <see cref="PythonFloorDivide"/> with the divisor's reciprocal known: the product's floor is within one of the
    /// exact floor, and exactly-rounded remainders (fused multiply-adds) settle which; no division on the cash chain.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double FloorDivide(double a, double b, double inverse)
    {
        double estimate = a * inverse;
        if (!(a > 0 && b > 0 && estimate < 1125899906842624.0)) return PythonFloorDivide(a, b);
        double q = Math.Floor(estimate);
        double r = Math.FusedMultiplyAdd(-q, b, a);
        if (r < 0) return q - 1;
        if (r >= b && Math.FusedMultiplyAdd(-(q + 1), b, a) >= 0) return q + 1;
        return q;
    }

    /// <summary>CPython's <c>float_floor_div</c> (and NumPy's <c>npy_divmod</c>): from the C <c>fmod</c>.</summary>
    internal static double PythonFloorDivideByFmod(double a, double b)
    {
        double mod = a % b; // C fmod
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) div -= 1.0;
        if (div == 0) return Math.CopySign(0.0, a / b);
        double floor = Math.Floor(div);
        if (div - floor > 0.5) floor += 1.0;
        return floor;
    }
}
