namespace Research.Core.Sweeps;

/// <summary>A synthetic training run for testing schedulers: a config (<c>lr</c>, <c>width</c>) maps to a deterministic
/// loss curve loss(t) = floor + (1 + t)^−rate, t = 1 … <see cref="MaxT"/>, where the floor is lowest near lr = 10^−2.5
/// and width = 128, and larger learning rates learn faster (so some worse configs lead slower ones early). The best final
/// config, lr = 10^−2 and width = 128, is also the best at every step. Minimise.</summary>
public sealed class LearningCurveTask(int maxT = 81)
{
    /// <summary>Steps of a full run.</summary>
    public int MaxT { get; } = maxT;

    /// <summary>The grid of configs: 9 learning rates × 5 widths.</summary>
    public SearchSpace Space { get; } = new([
        Param.Grid("lr", 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0),
        Param.Grid("width", 16, 32, 64, 128, 256),
    ]);

    /// <summary>The loss of config (lr, width) after <paramref name="step"/> steps.</summary>
    public static double Loss(double lr, double width, int step)
    {
        double u = Math.Log10(lr) + 2.5, v = Math.Log2(width) - 7;
        double floor = 0.1 + 0.08 * u * u + 0.0125 * v * v;
        double rate = 0.3 + 0.25 * (Math.Log10(lr) + 4);
        return floor + Math.Pow(1 + step, -rate);
    }

    /// <summary>The loss of a trial's config after <paramref name="step"/> steps.</summary>
    public static double Loss(Trial trial, int step) => Loss(trial.Double("lr"), trial.Double("width"), step);

    /// <summary>Runs a trial: reports the loss at every step and returns the final loss; stops early on the
    /// scheduler's word or on cancellation.</summary>
    public double Run(Trial trial, ITrialReporter reporter, CancellationToken ct)
    {
        double loss = double.NaN;
        for (int t = 1; t <= MaxT; t++)
        {
            ct.ThrowIfCancellationRequested();
            loss = Loss(trial, t);
            if (reporter.Report(t, loss) == SchedulerDecision.Stop) break;
        }
        return loss;
    }

    /// <summary>The config of the grid with the lowest final loss.</summary>
    public (double Lr, long Width, double Loss) Best()
    {
        var lrs = ((ChoiceParameter)Space["lr"]).Values;
        var widths = ((ChoiceParameter)Space["width"]).Values;
        return lrs.SelectMany(l => widths.Select(w => ((double)l, (long)w, Loss((double)l, (long)w, MaxT))))
            .MinBy(c => c.Item3);
    }
}
