namespace Research.Core.Environments.Allocation;

/// <summary>
/// FinRL's portfolio-allocation environment (<c>StockPortfolioEnv</c>, finrl/meta/env_portfolio_allocation), with its
/// arithmetic reproduced operation by operation so that, given the same data and actions, every observation, reward and
/// value is the same double FinRL computes (with numpy's exp being the C library's; see <see cref="Softmax"/>).
/// <list type="bullet">
/// <item>Observation of day d: the covariance matrix of d (tickers rows) stacked over the indicators of d (one row each),
/// shape (n + m) × n, row-major; <see cref="State"/> holds it as doubles, the observation span receives it as float32.</item>
/// <item>Action: n real numbers, turned into weights by FinRL's softmax, exp(aᵢ) / Σⱼ exp(aⱼ) (no max subtraction).
/// The action space is FinRL's Box(0, 1)ⁿ, but, like FinRL's environment, <see cref="Step"/> does not clip (its caller,
/// Stable-Baselines3, does).</item>
/// <item>A step on day d &lt; N − 1 (N = number of days): portfolio return R = Σᵢ (close_(d+1),ᵢ / close_d,ᵢ − 1) × wᵢ,
/// summed in ticker order; value ← value × (1 + R); the day advances; the reward is the new portfolio value itself (not
/// its change, and not scaled: FinRL's reward_scaling is unused), and terminated is false, also on the step that reaches
/// day N − 1.</item>
/// <item>The step on day N − 1 is FinRL's terminal call: the action is ignored (but still checked), nothing changes, and it
/// returns the same observation and the previous reward with terminated = true. Further calls return the same again, as
/// FinRL's do. Truncated is always false.</item>
/// </list>
/// Deviations from FinRL, both on inputs for which FinRL's result is meaningless: an action of the wrong length or with
/// NaN or ±∞, and an action whose softmax has no finite value (Σ exp(aⱼ) overflows, around aⱼ &gt; 709, or every exp
/// underflows to 0; FinRL's weights would then be NaN or 0), throw <see cref="ArgumentException"/> naming the index and
/// leave the environment unchanged. Optional transaction costs (off in FinRL mode): see
/// <see cref="PortfolioAllocationConfig.ChargeTransactionCosts"/>. Steps allocate nothing.
/// </summary>
public sealed class PortfolioAllocationEnv : IEnv
{
    private readonly AllocationData _data;
    private readonly int _n;
    private readonly double[] _state;
    private readonly double[] _weights;
    private readonly double[] _drifted;
    private readonly double[] _scratch;
    private int _day;
    private double _value;
    private double _reward;
    private double _return;
    private double _turnover;
    private double _cost;

    /// <summary>An environment over <paramref name="data"/>; <paramref name="config"/> defaults to FinRL mode.</summary>
    public PortfolioAllocationEnv(AllocationData data, PortfolioAllocationConfig? config = null)
    {
        _data = data;
        Config = (config ?? PortfolioAllocationConfig.FinRL).Validate();
        _n = data.TickerCount;
        int rows = _n + data.IndicatorCount;
        ObservationSpace = BoxSpace.Uniform(float.NegativeInfinity, float.PositiveInfinity, rows, _n);
        ActionSpace = BoxSpace.Uniform(0, 1, _n);
        _state = new double[rows * _n];
        _weights = new double[_n];
        _drifted = new double[_n];
        _scratch = new double[_n];
        Restart();
    }

    /// <inheritdoc />
    public string Id => "StockPortfolio";

    /// <summary>Box(−∞, ∞) of shape (tickers + indicators) × tickers.</summary>
    public Space ObservationSpace { get; }

    /// <summary>Box(0, 1) of shape tickers (FinRL's; not enforced, see the class notes).</summary>
    public Space ActionSpace { get; }

    /// <summary>The settings.</summary>
    public PortfolioAllocationConfig Config { get; }

    /// <summary>The data stepped through.</summary>
    public AllocationData Data => _data;

    /// <summary>The current day (index into <see cref="AllocationData.Dates"/>).</summary>
    public int Day => _day;

    /// <summary>The current day's date.</summary>
    public DateOnly Date => _data.Dates[_day];

    /// <summary>The current observation in double precision (FinRL's <c>state</c>), row-major.</summary>
    public ReadOnlySpan<double> State => _state;

    /// <summary>The portfolio value (FinRL's <c>portfolio_value</c>).</summary>
    public double PortfolioValue => _value;

    /// <summary>The last step's portfolio return (0 after a reset, as FinRL's <c>portfolio_return_memory</c> starts).</summary>
    public double PortfolioReturn => _return;

    /// <summary>The weights last applied (1/n each after a reset, FinRL's first <c>actions_memory</c> entry).</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>The last step's turnover Σᵢ |w_new,ᵢ − w_drifted,ᵢ| (computed in both modes).</summary>
    public double Turnover => _turnover;

    /// <summary>The last step's transaction cost (always 0 in FinRL mode).</summary>
    public double TransactionCost => _cost;

    /// <summary>True on the last day: the next <see cref="Step"/> is FinRL's terminal call.</summary>
    public bool AtLastDay => _day >= _data.DateCount - 1;

    /// <summary>Starts an episode on day 0 with the initial amount; the seed is ignored (the environment is deterministic, as FinRL's is).</summary>
    public void Reset(int? seed, Span<float> observation)
    {
        CheckObservation(observation);
        Restart();
        Write(observation);
    }

    /// <inheritdoc />
    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        CheckObservation(observation);
        if (action.Length != _n) throw new ArgumentException($"action has {action.Length} values; the environment allocates over {_n} tickers.", nameof(action));
        for (int i = 0; i < action.Length; i++)
        {
            if (!float.IsFinite(action[i])) throw new ArgumentException($"action[{i}] is {action[i]}; actions must be finite.", nameof(action));
        }

        if (AtLastDay)
        {
            Write(observation);
            return new StepOutcome(_reward, true, false);
        }

        Softmax(action, _scratch);
        var before = _data.Closes(_day);
        var after = _data.Closes(_day + 1);

        // FinRL: sum(((close_next / close) - 1) * weights), Python's sum: left to right from 0.
        double portfolioReturn = 0;
        for (int i = 0; i < _n; i++) portfolioReturn += (after[i] / before[i] - 1) * _scratch[i];

        double turnover = 0;
        for (int i = 0; i < _n; i++) turnover += Math.Abs(_scratch[i] - _drifted[i]);
        double cost = 0;
        double value;
        if (Config.ChargeTransactionCosts)
        {
            cost = Config.TransactionCostPct * turnover * _value;
            value = (_value - cost) * (1 + portfolioReturn);
        }
        else
        {
            value = _value * (1 + portfolioReturn);
        }

        // The new weights after the day's moves: wᵢ gᵢ / Σⱼ wⱼ gⱼ with g = close_next / close.
        double grown = 0;
        for (int i = 0; i < _n; i++)
        {
            _weights[i] = _scratch[i];
            _drifted[i] = _scratch[i] * (after[i] / before[i]);
            grown += _drifted[i];
        }

        for (int i = 0; i < _n; i++) _drifted[i] /= grown;
        _day++;
        _value = value;
        _return = portfolioReturn;
        _turnover = turnover;
        _cost = cost;
        _reward = value;
        LoadState();
        Write(observation);
        return new StepOutcome(_reward, false, false);
    }

    /// <summary>Gymnasium's info (FinRL's is empty): day, date, portfolio value and return, weights, turnover, transaction cost.</summary>
    public IReadOnlyDictionary<string, object> Info() => new Dictionary<string, object>
    {
        ["day"] = _day,
        ["date"] = Date,
        ["portfolio_value"] = _value,
        ["portfolio_return"] = _return,
        ["weights"] = _weights.ToArray(),
        ["turnover"] = _turnover,
        ["transaction_cost"] = _cost,
    };

    /// <summary>
    /// FinRL's <c>softmax_normalization</c> on an action given as float32 values: wᵢ = exp(aᵢ) / Σⱼ exp(aⱼ) in double
    /// precision (what numpy computes for a float64 array holding those values), with no max subtraction, the sum in
    /// numpy's order (<see cref="NumpySum"/>). exp is <see cref="Math.Exp"/>, the C library's, which is numpy's on
    /// machines without AVX-512; numpy's AVX-512 kernels (Intel SVML on AVX512_SKX) differ from it in the last bit of
    /// about a quarter of arguments. Throws when the sum of exps is not finite and positive, naming the largest component.
    /// </summary>
    public static void Softmax(ReadOnlySpan<float> action, Span<double> weights)
    {
        if (weights.Length != action.Length) throw new ArgumentException($"weights has {weights.Length} values; action has {action.Length}.", nameof(weights));
        int top = 0;
        for (int i = 0; i < action.Length; i++)
        {
            if (!float.IsFinite(action[i])) throw new ArgumentException($"action[{i}] is {action[i]}; actions must be finite.", nameof(action));
            if (action[i] > action[top]) top = i;
            weights[i] = Math.Exp(action[i]);
        }

        double denominator = NumpySum(weights);
        if (double.IsPositiveInfinity(denominator))
        {
            throw new ArgumentException($"action[{top}] = {action[top]}: the sum of exp(action) overflows, so FinRL's softmax (no max subtraction) has no finite weights; keep actions below about 709.", nameof(action));
        }

        if (!(denominator > 0))
        {
            throw new ArgumentException($"action[{top}] = {action[top]} is the largest component and exp of every component underflows to 0, so FinRL's softmax has no weights.", nameof(action));
        }

        for (int i = 0; i < weights.Length; i++) weights[i] /= denominator;
    }

    /// <summary>
    /// <c>numpy.sum</c> of a contiguous float64 vector, bit for bit: the identity 0 plus numpy's pairwise sum (fewer
    /// than 8 values left to right; up to 128 in eight interleaved partial sums combined as ((s0 + s1) + (s2 + s3)) +
    /// ((s4 + s5) + (s6 + s7)), then the remainder; longer vectors split in two at a multiple of 8). Vectors longer than
    /// numpy's 8192-element reduction buffer are not covered.
    /// </summary>
    public static double NumpySum(ReadOnlySpan<double> values) => 0.0 + Pairwise(values);

    private static double Pairwise(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0.0;
            for (int i = 0; i < n; i++) res += a[i];
            return res;
        }

        if (n <= 128)
        {
            double r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            int i = 8, end = n - n % 8;
            for (; i < end; i += 8)
            {
                r0 += a[i];
                r1 += a[i + 1];
                r2 += a[i + 2];
                r3 += a[i + 3];
                r4 += a[i + 4];
                r5 += a[i + 5];
                r6 += a[i + 6];
                r7 += a[i + 7];
            }

            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) res += a[i];
            return res;
        }

        int half = n / 2;
        half -= half % 8;
        return Pairwise(a[..half]) + Pairwise(a[half..]);
    }

    private void Restart()
    {
        _day = 0;
        _value = Config.InitialAmount;
        _reward = Config.InitialAmount;
        _return = 0;
        _turnover = 0;
        _cost = 0;
        Array.Fill(_weights, 1.0 / _n);
        Array.Fill(_drifted, 1.0 / _n);
        LoadState();
    }

    private void LoadState()
    {
        int nn = _n * _n;
        _data.Covariance(_day).CopyTo(_state.AsSpan(0, nn));
        _data.Indicators(_day).CopyTo(_state.AsSpan(nn));
    }

    private void Write(Span<float> observation)
    {
        for (int i = 0; i < _state.Length; i++) observation[i] = (float)_state[i];
    }

    private void CheckObservation(Span<float> observation)
    {
        if (observation.Length != _state.Length)
        {
            throw new ArgumentException($"observation has {observation.Length} values; the observation space has {_state.Length}.", nameof(observation));
        }
    }
}
