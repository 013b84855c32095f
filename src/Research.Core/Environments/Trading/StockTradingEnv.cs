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
    private readonly int[] _sellKeys, _buyKeys, _sellOrder, _buyOrder;
    private readonly double[] _unit, _inverseUnit;
    private readonly int _tickerBits, _tickerMask, _hmax, _stateSize, _lastDay;
    private readonly BoxSpace _box;
    private readonly double[]? _risk;
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
    private double _totalAsset; // FinRL-cost mode: the total asset at the current day's close, kept from the last step or reset
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
        _tickerMask = (1 << _tickerBits) - 1;
        int padded = (_n + Vector<int>.Count - 1) / Vector<int>.Count * Vector<int>.Count; // RankSort loads whole vectors
        _sellKeys = new int[padded];
        _buyKeys = new int[padded];
        _sellOrder = new int[_n];
        _buyOrder = new int[_n];
        (_unit, _inverseUnit) = data.BuyUnits(config.BuyCostPct); // FinRL's divisor close · (1 + buy_cost) and its reciprocal, shared
        _hmax = config.HMax;
        _stateSize = data.StateSize;
        _lastDay = data.Days - 1;
        _risk = data.Risk;
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
        ActionSpace = _box = BoxSpace.Uniform(-1, 1, _n);
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
            return TotalAssetOf(_cash, _close.AsSpan(_day * _n, _n), _holdings);
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

        _totalAsset = TotalAsset;
        Observe(observation);
    }

    /// <inheritdoc />
    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_over) throw new InvalidOperationException("The episode is over; call Reset().");
        _box.ClipAction(action, _clipped); // length and finiteness checked before anything changes
        if (observation.Length != _stateSize) throw new ArgumentException($"observation has room for {observation.Length} values; the state has {_stateSize}.", nameof(observation));
        if (_day >= _lastDay)
        {
            // FinRL: the call on the last day trades nothing and returns terminated with the last reward again.
            _over = true;
            Observe(observation);
            return new StepOutcome(_reward, true, false);
        }

        IntegerActions(_clipped, _hmax, _actions);
        bool turbulent = _turbulence >= _threshold; // false when the threshold is NaN (off)
        if (turbulent) _actions.AsSpan().Fill(-_hmax);

        // Sells in ascending order of the integer action (ties in ticker order), buys in descending order (ties in
        // reverse ticker order): a stable argsort and its reverse, as FinRL's argsort[:sells] and argsort[::-1][:buys].
        // A sell of a ticker not held does nothing in FinRL, so only held tickers take part.
        Array.Clear(_executed);
        _fills.Clear();
        double begin;
        if (_execution is null)
        {
            // FinRL's begin_total_asset is the last step's end_total_asset (or the reset's): the same cash, holdings and
            // closes summed the same way, so the kept value has the same bits and one of the step's two sums is saved.
            begin = _totalAsset;
            TradeAtClose(turbulent);
        }
        else
        {
            begin = TotalAsset;
            TradeThroughExecution(turbulent);
        }

        _day++;
        if (_risk is not null) _turbulence = _risk[_day];
        if (_execution is not null)
        {
            var close = _execution.Fields[(int)PriceField.Close];
            int N = Data.Panel.DateCount, t = Data.PanelStart + _day;
            for (int k = 0; k < _n; k++) _portfolio!.SetMark(k, close[k * N + t]);
            Finance();
        }

        double end = TotalAsset;
        _totalAsset = end;
        _reward = (end - begin) * _scaling;
        bool terminated = !_finrl && _day >= _lastDay;
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
        ToFloat(_holdings, obs.Slice(1 + _n, _n));
        int b = _blocks * _n;
        _blocksF.AsSpan(_day * b, b).CopyTo(obs.Slice(1 + 2 * _n));
    }

    /// <summary>FinRL's trades at today's close with its own costs: sells in ascending order of the integer action, then buys in descending order.</summary>
    private void TradeAtClose(bool turbulent)
    {
        int n = _n, row = _day * n;
        ReadOnlySpan<double> close = _close.AsSpan(row, n);
        ReadOnlySpan<bool> disabled = _disableCheck ? _disabled.AsSpan(row, n) : default;
        var (sells, buys) = PartitionTrades(_actions, _holdings, _tickerBits, _sellKeys, _buyKeys);
        RankSort(_sellKeys, sells, _tickerMask, _sellOrder);
        RankSort(_buyKeys, buys, _tickerMask, _buyOrder);
        var book = new Book(_cash, _cost, _trades);
        SellAtClose(_sellOrder.AsSpan(0, sells), _actions, close, disabled, turbulent, _sellCost, _holdings, _executed, ref book);
        // A turbulent step has no buys: every action is −hmax.
        BuyAtClose(_buyOrder.AsSpan(0, buys), _actions, close, _unit.AsSpan(row, n), _inverseUnit.AsSpan(row, n), disabled, _buyCost, _finrl, _holdings, _executed, ref book);
        (_cash, _cost, _trades) = (book.Cash, book.Cost, book.Trades);
    }

    /// <summary>Cash, cumulative cost and trade count while a step trades (a struct the loops copy into locals).</summary>
    private record struct Book(double Cash, double Cost, int Trades);

    /// <summary>
    /// FinRL's sells, in the given order: <c>q = min(|a|, shares)</c> (everything when turbulent), cash += close·q·(1 − c),
    /// cost += close·q·c. A ticker without a valid close (FinRL's data never has one) or "disabled" does not trade;
    /// a turbulence liquidation ignores "disable". The book stays in locals in the loop: as fields it went through
    /// memory between trades, a store and a reload on every trade's cash.
    /// </summary>
    private static void SellAtClose(ReadOnlySpan<int> order, ReadOnlySpan<int> actions, ReadOnlySpan<double> close, ReadOnlySpan<bool> disabled,
        bool turbulent, double sellCost, Span<double> holdings, Span<double> executed, ref Book book)
    {
        double cash = book.Cash, cost = book.Cost;
        int trades = book.Trades;
        foreach (int k in order)
        {
            double price = close[k], shares = 0;
            if (price > 0 && (turbulent || disabled.IsEmpty || !disabled[k]))
            {
                // Python's min(|a|, shares): both are ≥ 1 here, never NaN, so Math.Min (branch-free; whether the holding
                // or the action binds is a coin flip) gives the same value.
                shares = turbulent ? holdings[k] : Math.Min(Math.Abs((double)actions[k]), holdings[k]);
                cash += price * shares * (1 - sellCost);
                holdings[k] = turbulent ? 0 : holdings[k] - shares;
                cost += price * shares * sellCost;
                trades++;
            }

            executed[k] = -shares;
        }

        book = new Book(cash, cost, trades);
    }

    /// <summary>
    /// FinRL's buys, in the given order read from its end (descending action): <c>q = min(cash // (close·(1 + c)), a)</c>,
    /// cash −= close·q·(1 + c), cost += close·q·c. Every attempt counts as a trade in FinRL semantics; Gymnasium
    /// semantics skip buys of nothing.
    /// </summary>
    private static void BuyAtClose(ReadOnlySpan<int> ascending, ReadOnlySpan<int> actions, ReadOnlySpan<double> close, ReadOnlySpan<double> unit,
        ReadOnlySpan<double> inverseUnit, ReadOnlySpan<bool> disabled, double buyCost, bool finrl, Span<double> holdings, Span<double> executed, ref Book book)
    {
        double cash = book.Cash, cost = book.Cost;
        int trades = book.Trades;
        for (int i = ascending.Length - 1; i >= 0; i--)
        {
            int k = ascending[i];
            double price = close[k], shares = 0;
            if (price > 0 && (disabled.IsEmpty || !disabled[k]))
            {
                shares = BuyShares(cash, unit[k], inverseUnit[k], actions[k]);
                if (finrl || shares > 0)
                {
                    cash -= price * shares * (1 + buyCost);
                    holdings[k] += shares;
                    cost += price * shares * buyCost;
                    trades++;
                }
                else
                {
                    shares = 0;
                }
            }

            executed[k] = shares;
        }

        book = new Book(cash, cost, trades);
    }

    /// <summary>Backtest-grade trades: FinRL's order, each filled through the backtester's execution.</summary>
    private void TradeThroughExecution(bool turbulent)
    {
        var (sells, buys) = PartitionTrades(_actions, _holdings, _tickerBits, _sellKeys, _buyKeys);
        RankSort(_sellKeys, sells, _tickerMask, _sellOrder);
        RankSort(_buyKeys, buys, _tickerMask, _buyOrder);
        for (int i = 0; i < sells; i++)
        {
            int k = _sellOrder[i];
            _executed[k] = -ExecuteSell(k, turbulent);
        }

        for (int i = buys - 1; i >= 0; i--)
        {
            int k = _buyOrder[i];
            _executed[k] = turbulent ? 0 : Execute(k, _actions[k]);
        }
    }

    /// <summary>
    /// FinRL's integer actions: <c>trunc(a · hmax)</c> with the product in float32 (SB3's float32 action times the int
    /// hmax), a vector at a time. The actions are clipped to [−1, 1], so no conversion can overflow.
    /// </summary>
    private static void IntegerActions(ReadOnlySpan<float> action, int hmax, Span<int> result)
    {
        float h = hmax;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (int width = Vector<float>.Count; i <= action.Length - width; i += width)
            {
                Vector.ConvertToInt32(new Vector<float>(action.Slice(i)) * h).CopyTo(result.Slice(i));
            }
        }

        for (; i < action.Length; i++) result[i] = (int)(action[i] * h);
    }

    /// <summary>
    /// Splits the tickers that trade into sell keys (negative action and shares held: FinRL's sell of a ticker not held
    /// does nothing) and buy keys (positive action). A key packs (action, ticker), so keys are distinct and order by action
    /// then ticker: a stable sort. Branch-free (each key is written to both lists and kept by advancing a count): with
    /// random actions each sign is a coin flip, and a mispredicted branch per ticker cost more than the whole partition.
    /// </summary>
    private static (int Sells, int Buys) PartitionTrades(ReadOnlySpan<int> actions, ReadOnlySpan<double> holdings, int tickerBits, Span<int> sellKeys, Span<int> buyKeys)
    {
        int sells = 0, buys = 0;
        for (int k = 0; k < actions.Length; k++)
        {
            int a = actions[k], key = (a << tickerBits) | k;
            sellKeys[sells] = key;
            buyKeys[buys] = key;
            int held = holdings[k] > 0 ? 1 : 0;
            sells += (int)((uint)a >> 31) & held; // the sign bit: a < 0
            buys += (int)((uint)-a >> 31);        // a > 0 (|a| ≤ hmax < 2^30: no overflow)
        }

        return (sells, buys);
    }

    /// <summary>
    /// Writes the tickers of the distinct keys <c>keys[0..count)</c> to <paramref name="order"/> in ascending key order.
    /// A key's rank is the number of keys below it, counted for a vector of keys at once against each key in turn: no
    /// data-dependent branches (a comparison sort of ~15 random keys spends most of its time in mispredicted branches)
    /// and no horizontal sums. <paramref name="keys"/> must have room up to the next multiple of the vector width (the
    /// lanes past <paramref name="count"/> are compared but never placed).
    /// </summary>
    [SkipLocalsInit]
    private static void RankSort(ReadOnlySpan<int> keys, int count, int tickerMask, Span<int> order)
    {
        int width = Vector<int>.Count;
        Span<int> ranks = stackalloc int[Vector<int>.Count];
        for (int i = 0; i < count; i += width)
        {
            var block = new Vector<int>(keys.Slice(i));
            var below = Vector<int>.Zero;
            for (int j = 0; j < count; j++) below -= Vector.GreaterThan(block, new Vector<int>(keys[j])); // +1 per key below
            below.CopyTo(ranks);
            for (int l = 0, end = Math.Min(width, count - i); l < end; l++) order[ranks[l]] = keys[i + l] & tickerMask;
        }
    }

    /// <summary>
    /// FinRL's buy size <c>min(cash // unit, a)</c>. When the cash covers all <paramref name="action"/> shares, i.e.
    /// cash − a·unit ≥ 0 (one fused multiply-add: exactly rounded, so its sign is the exact difference's), the exact
    /// floor of cash / unit is at least a and the answer is a: while cash lasts no division is needed, and the next buy's
    /// cash does not wait for one. Otherwise Python's floor division, with 0 ≤ cash &lt; unit giving +0.0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double BuyShares(double cash, double unit, double inverse, int action)
    {
        if (Math.FusedMultiplyAdd(-(double)action, unit, cash) >= 0) return action;
        double available = cash >= 0 && cash < unit ? 0.0 : FloorDivide(cash, unit, inverse);
        return PythonMin(available, action);
    }

    /// <summary>FinRL's total asset: cash + Σ close·shares, summed left to right from 0 as Python's <c>sum</c> does (the order fixes the last bit).</summary>
    private static double TotalAssetOf(double cash, ReadOnlySpan<double> close, ReadOnlySpan<double> shares)
    {
        double sum = 0;
        for (int k = 0; k < close.Length; k++) sum += close[k] * shares[k];
        return cash + sum;
    }

    /// <summary>The observation's float32 image of doubles, a vector pair at a time (same rounding as a scalar cast).</summary>
    private static void ToFloat(ReadOnlySpan<double> source, Span<float> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (int width = Vector<double>.Count; i <= source.Length - 2 * width; i += 2 * width)
            {
                Vector.Narrow(new Vector<double>(source.Slice(i)), new Vector<double>(source.Slice(i + width))).CopyTo(destination.Slice(i));
            }
        }

        for (; i < source.Length; i++) destination[i] = (float)source[i];
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
