namespace Research.Core.Configuration;

/// <summary>Learning-rate schedule of the forecaster's training.</summary>
public enum LearningRateSchedule
{
    /// <summary>Cosine annealing from the peak rate to 1 % of it over all epochs.</summary>
    Cosine,

    /// <summary>One cycle: linear warm-up over the first 30 % of epochs to the peak, cosine down to 0.1 % of it.</summary>
    OneCycle,
}

/// <summary>Normalisation inside each convolution block.</summary>
public enum ConvNorm
{
    /// <summary>None.</summary>
    None,

    /// <summary>Batch normalisation over channels.</summary>
    Batch,

    /// <summary>Layer normalisation over channels at each time step.</summary>
    Layer,
}

/// <summary>The <c>forecaster</c> section: the hybrid CNN+LSTM model, its data windows and its training.</summary>
public sealed record ForecasterConfig
{
    /// <summary>Whether <c>research run</c> trains and evaluates the forecaster.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Days in each input window.</summary>
    public int Window { get; init; } = 20;

    /// <summary>
    /// The shuffled-target leakage probe (<c>research model train --shuffle-target</c>): when set, train and validation
    /// targets are permuted within each ticker with this seed (<see cref="Models.TargetPermutation"/>), features and test
    /// targets untouched. Null (the default): a normal run. Part of the config so that a probe run's saved config
    /// reproduces the probe.
    /// </summary>
    public int? ShuffleTargetSeed { get; init; }

    /// <summary>
    /// Catalog indicators appended to the base features (e.g. <c>rsi_30</c>, <c>MACD</c>, <c>finrl</c>); prefer scale-free
    /// ones, since one scaler serves every ticker. Empty: the 8 base features only.
    /// </summary>
    public IReadOnlyList<string> Indicators { get; init; } = [];

    /// <summary>Target horizon: the log return over the next <c>horizon</c> days after the window.</summary>
    public int Horizon { get; init; } = 1;

    /// <summary>Channels of each 1-D convolution block (one block per entry).</summary>
    public int[] ConvChannels { get; init; } = [16, 16];

    /// <summary>Kernel size of every convolution.</summary>
    public int Kernel { get; init; } = 3;

    /// <summary>Dilation of each block (one per block; empty = 1 everywhere).</summary>
    public int[] Dilations { get; init; } = [1, 2];

    /// <summary>Normalisation in the convolution blocks.</summary>
    public ConvNorm Norm { get; init; } = ConvNorm.Layer;

    /// <summary>Dropout after each block and before the heads.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>LSTM hidden size.</summary>
    public int Hidden { get; init; } = 32;

    /// <summary>LSTM layers.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Bidirectional LSTM.</summary>
    public bool Bidirectional { get; init; }

    /// <summary>Size of the learned ticker embedding appended to every time step (0 = none).</summary>
    public int TickerEmbedding { get; init; } = 4;

    /// <summary>Maximum epochs.</summary>
    public int Epochs { get; init; } = 12;

    /// <summary>Epochs in quick mode.</summary>
    public int QuickEpochs { get; init; } = 3;

    /// <summary>Tickers used in quick mode (the first N of the panel).</summary>
    public int QuickTickers { get; init; } = 8;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Peak learning rate (AdamW).</summary>
    public double LearningRate { get; init; } = 0.002;

    /// <summary>AdamW weight decay.</summary>
    public double WeightDecay { get; init; } = 0.0001;

    /// <summary>Learning-rate schedule.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

    /// <summary>Gradient norm clip.</summary>
    public double ClipNorm { get; init; } = 1.0;

    /// <summary>Epochs without validation improvement before stopping.</summary>
    public int Patience { get; init; } = 3;

    /// <summary>Weight of the classification (up-move) loss next to the regression loss.</summary>
    public double ClassificationWeight { get; init; } = 0.5;

    /// <summary>Ridge baseline's penalty.</summary>
    public double RidgeLambda { get; init; } = 10.0;

    /// <summary>Retrain on every walk-forward window and stitch the out-of-sample predictions (skipped in quick mode).</summary>
    public bool WalkForward { get; init; } = true;

    /// <summary>Torch intra-op threads (0 = all cores).</summary>
    public int Threads { get; init; }

    internal void Validate(string at)
    {
        if (Window < 2) throw new ConfigException($"{at}.window", $"must be ≥ 2, got {Window}.");
        if (Horizon < 1) throw new ConfigException($"{at}.horizon", $"must be ≥ 1, got {Horizon}.");
        if (ConvChannels.Length == 0 || ConvChannels.Any(c => c < 1)) throw new ConfigException($"{at}.convChannels", "needs at least one block, each with ≥ 1 channel.");
        if (Kernel < 1) throw new ConfigException($"{at}.kernel", $"must be ≥ 1, got {Kernel}.");
        if (Dilations.Length != 0 && (Dilations.Length != ConvChannels.Length || Dilations.Any(d => d < 1)))
            throw new ConfigException($"{at}.dilations", $"needs one dilation ≥ 1 per conv block ({ConvChannels.Length}), got {Dilations.Length}.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ConfigException($"{at}.dropout", $"must be in [0, 1), got {Dropout}.");
        if (Hidden < 1 || Layers < 1) throw new ConfigException($"{at}.hidden", "hidden and layers must be ≥ 1.");
        if (TickerEmbedding < 0) throw new ConfigException($"{at}.tickerEmbedding", "must be ≥ 0.");
        if (Epochs < 1 || QuickEpochs < 1) throw new ConfigException($"{at}.epochs", "epochs and quickEpochs must be ≥ 1.");
        if (QuickTickers < 1) throw new ConfigException($"{at}.quickTickers", "must be ≥ 1.");
        for (int i = 0; i < Indicators.Count; i++)
        {
            try
            {
                Features.FeaturePipeline.Expand([Indicators[i]]);
            }
            catch (ArgumentException e)
            {
                throw new ConfigException($"{at}.indicators[{i}]", e.Message, e);
            }
        }
        if (BatchSize < 1) throw new ConfigException($"{at}.batchSize", $"must be ≥ 1, got {BatchSize}.");
        if (!(LearningRate > 0)) throw new ConfigException($"{at}.learningRate", $"must be positive, got {LearningRate}.");
        if (!(WeightDecay >= 0)) throw new ConfigException($"{at}.weightDecay", "must be ≥ 0.");
        if (!(ClipNorm > 0)) throw new ConfigException($"{at}.clipNorm", "must be positive.");
        if (Patience < 1) throw new ConfigException($"{at}.patience", "must be ≥ 1.");
        if (!(ClassificationWeight >= 0)) throw new ConfigException($"{at}.classificationWeight", "must be ≥ 0.");
        if (!(RidgeLambda >= 0)) throw new ConfigException($"{at}.ridgeLambda", "must be ≥ 0.");
        if (Threads < 0) throw new ConfigException($"{at}.threads", "must be ≥ 0.");
    }
}
