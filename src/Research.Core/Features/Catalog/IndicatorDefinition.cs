using Research.Core.Data;
using Research.Core.Features.Indicators;

namespace Research.Core.Features.Catalog;

/// <summary>A parameter of an indicator with its default.</summary>
public sealed record IndicatorParameter(string Name, double Default, string Description);

/// <summary>Computes an indicator's outputs over bars with the given parameter values (in declaration order).</summary>
public delegate void IndicatorKernel(Ohlcv bars, double[] parameters, Memory<double>[] outputs);

/// <summary>
/// Computes an indicator over four tickers' bars at once (equal lengths, no leading NaN), writing outputs[i][o] (output
/// o of group[i]); the values must equal the per-ticker kernel's. Returns false, having written nothing that matters,
/// when the group is outside the kernel's domain (parameters it leaves to the per-ticker checks, a series too short,
/// values it does not handle): the group then goes ticker by ticker.
/// </summary>
internal delegate bool IndicatorLaneKernel(Ohlcv[] group, double[] parameters, double[][][] outputs);

/// <summary>
/// One indicator of the catalog: its name, group, the reference definition it follows, inputs, outputs (column
/// suffixes), parameters with defaults, lookback and kernel.
/// </summary>
public sealed class IndicatorDefinition
{
    private readonly Func<double[], int> _lookback;
    private readonly IndicatorKernel _kernel;
    private readonly IndicatorLaneKernel? _lanes;

    internal IndicatorDefinition(string name, string group, string reference, string description, PriceField[] inputs,
        string[] outputs, IndicatorParameter[] parameters, Func<double[], int> lookback, IndicatorKernel kernel,
        IndicatorLaneKernel? lanes = null)
    {
        _lanes = lanes;
        Name = name;
        Group = group;
        Reference = reference;
        Description = description;
        Inputs = inputs;
        Outputs = outputs;
        Parameters = parameters;
        _lookback = lookback;
        _kernel = kernel;
    }

    /// <summary>Name, upper case as TA-Lib (e.g. <c>MACD</c>) or stockstats' lower case (e.g. <c>rsi_30</c>).</summary>
    public string Name { get; }

    /// <summary>Group: overlap, momentum, volatility, volume, statistics, price, cycle, pattern, finrl.</summary>
    public string Group { get; }

    /// <summary>The definition followed, e.g. "TA-Lib 0.6 TA_RSI" or "stockstats rsi_N".</summary>
    public string Reference { get; }

    /// <summary>One line on what it computes.</summary>
    public string Description { get; }

    /// <summary>Bar fields read.</summary>
    public IReadOnlyList<PriceField> Inputs { get; }

    /// <summary>Output parts; one empty string for single-output indicators (columns are NAME or NAME_part).</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Parameters with defaults.</summary>
    public IReadOnlyList<IndicatorParameter> Parameters { get; }

    /// <summary>Column names for the outputs: NAME, or NAME_part for multi-output indicators.</summary>
    public IReadOnlyList<string> Columns(string? label = null) =>
        Outputs.Select(o => o.Length == 0 ? label ?? Name : $"{label ?? Name}_{o}").ToArray();

    /// <summary>Index of the first valid output at the given parameters (defaults when null).</summary>
    public int Lookback(double[]? parameters = null) => _lookback(parameters ?? Defaults());

    /// <summary>The default parameter values.</summary>
    public double[] Defaults() => Parameters.Select(p => p.Default).ToArray();

    /// <summary>
    /// Computes every output over <paramref name="bars"/> (arrays of the bars' length). Leading bars where any input is
    /// NaN are skipped, as ta-lib-python does: outputs are NaN there and the lookback counts from the first complete bar.
    /// NaN inside the series propagates through the arithmetic as in TA-Lib.
    /// </summary>
    public void Compute(Ohlcv bars, double[]? parameters, double[][] outputs)
    {
        parameters = CheckedParameters(parameters);
        if (outputs.Length != Outputs.Count) throw new ArgumentException($"{Name} has {Outputs.Count} output(s); got {outputs.Length} arrays.", nameof(outputs));
        int start = FirstComplete(bars);
        foreach (var o in outputs)
        {
            if (o.Length != bars.Length) throw new ArgumentException($"An output array has {o.Length} values; the bars have {bars.Length}.", nameof(outputs));
            o.AsSpan(0, start).Fill(double.NaN);
        }

        if (start >= bars.Length) return;
        var slices = outputs.Select(o => o.AsMemory(start)).ToArray();
        try
        {
            _kernel(start == 0 ? bars : bars.Slice(start), parameters, slices);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{Name}: {e.Message}", e);
        }
    }

    /// <summary>True when the indicator has a kernel computing four tickers at once (see <see cref="ComputeTickers"/>).</summary>
    internal bool HasLaneKernel => _lanes is not null;

    /// <summary>
    /// Computes every output for each ticker: outputs[k] for bars[k], exactly as <see cref="Compute(Ohlcv, double[], double[][])"/>
    /// would. With a lane kernel, the tickers without leading NaN (of the common length) go four at a time, the last
    /// group padded with copies of its first ticker whose outputs are discarded; the others go one by one, and so does
    /// a group the lane kernel declines.
    /// </summary>
    internal void ComputeTickers(IReadOnlyList<Ohlcv> bars, double[]? parameters, double[][][] outputs)
    {
        parameters = CheckedParameters(parameters);
        if (outputs.Length != bars.Count) throw new ArgumentException($"{bars.Count} tickers; got outputs for {outputs.Length}.", nameof(outputs));
        var grouped = new List<int>();
        for (int k = 0; k < bars.Count; k++)
        {
            bool lanes = _lanes is not null && bars[k].Length > 0 && bars[k].Length == bars[0].Length && FirstComplete(bars[k]) == 0;
            if (lanes) grouped.Add(k);
            else Compute(bars[k], parameters, outputs[k]);
        }

        for (int g = 0; g < grouped.Count; g += StockStatsLanes.Width) ComputeGroup(bars, parameters, outputs, grouped, g);
    }

    /// <summary>Runs the lane kernel over grouped[g..g+4] (padded when fewer remain); ticker by ticker if it declines.</summary>
    private void ComputeGroup(IReadOnlyList<Ohlcv> bars, double[] parameters, double[][][] outputs, List<int> grouped, int g)
    {
        int n = bars[grouped[g]].Length;
        using var scratch = Scratch.Begin(); // padding lanes' outputs, discarded
        var group = new Ohlcv[StockStatsLanes.Width];
        var laneOutputs = new double[StockStatsLanes.Width][][];
        for (int i = 0; i < group.Length; i++)
        {
            bool real = g + i < grouped.Count;
            int k = grouped[real ? g + i : g];
            group[i] = bars[k];
            if (real && !Fits(outputs[k], n)) throw new ArgumentException($"{Name}: ticker {k} needs {Outputs.Count} output array(s) of {n} values.", nameof(outputs));
            laneOutputs[i] = real ? outputs[k] : Padding(n);
        }

        bool done;
        try
        {
            done = _lanes!(group, parameters, laneOutputs);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{Name}: {e.Message}", e);
        }

        for (int i = 0; !done && i < group.Length && g + i < grouped.Count; i++) Compute(bars[grouped[g + i]], parameters, outputs[grouped[g + i]]);
    }

    /// <summary>Whether a ticker's outputs are one array of <paramref name="n"/> values per output.</summary>
    private bool Fits(double[][] outputs, int n)
    {
        if (outputs.Length != Outputs.Count) return false;
        foreach (var o in outputs)
        {
            if (o.Length != n) return false;
        }

        return true;
    }

    /// <summary>Scratch outputs for a padding lane (valid in the caller's scratch scope; discarded).</summary>
    private double[][] Padding(int n)
    {
        var padding = new double[Outputs.Count][];
        for (int o = 0; o < padding.Length; o++) padding[o] = Scratch.Uninitialized(n);
        return padding;
    }

    private double[] CheckedParameters(double[]? parameters)
    {
        parameters ??= Defaults();
        if (parameters.Length != Parameters.Count)
        {
            throw new ArgumentException($"{Name} takes {Parameters.Count} parameter(s) ({string.Join(", ", Parameters.Select(p => p.Name))}); got {parameters.Length}.", nameof(parameters));
        }

        return parameters;
    }

    /// <summary>Computes the outputs into new arrays.</summary>
    public double[][] Compute(Ohlcv bars, double[]? parameters = null)
    {
        var outputs = Outputs.Select(_ => new double[bars.Length]).ToArray();
        Compute(bars, parameters, outputs);
        return outputs;
    }

    private int FirstComplete(Ohlcv bars)
    {
        for (int t = 0; t < bars.Length; t++)
        {
            bool complete = true;
            foreach (var f in Inputs)
            {
                if (double.IsNaN(bars.Field(f).Span[t])) complete = false;
            }

            if (complete) return t;
        }

        return bars.Length;
    }
}
