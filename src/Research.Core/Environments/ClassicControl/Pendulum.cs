namespace Research.Core.Environments.ClassicControl;

/// <summary>
/// Gymnasium's <c>Pendulum-v1</c>: swing a pendulum up with a torque clipped to [−2, 2]; reward
/// −(angle_normalize(θ)² + 0.1·θ̇² + 0.001·u²) from the state before the step; θ̇ clipped to ±8; no termination; time
/// limit 200. Gravity <c>g</c> defaults to 10 as in Gymnasium.
/// </summary>
/// <remarks>
/// State (Gymnasium's <c>env.unwrapped.state</c>, float64): [θ, θ̇]; observation (float32): [cos θ, sin θ, θ̇]. Action:
/// <see cref="BoxSpace"/> [−2, 2]^1 (float32); NaN or ±∞ is an error, values outside are clipped as Gymnasium's
/// <c>np.clip</c> clips them. The arithmetic follows Gymnasium's <c>step</c> under NumPy 1.x's promotion rules, where the
/// float32 torque meets Python floats in float64 (u², 3·u). Under NumPy 2 (NEP 50) Gymnasium computes 0.001·u² and 3·u
/// in float32, so its rewards and states differ from these in the last bits unless u·3 and u² are exact in float32.
/// Reset draws θ ~ U(−π, π), θ̇ ~ U(−1, 1) with <see cref="Random"/>, not NumPy's PCG64.
/// </remarks>
public sealed class Pendulum : ClassicControlEnv
{
    /// <summary>Gymnasium id.</summary>
    public const string GymId = "Pendulum-v1";

    /// <summary>Gymnasium's <c>max_episode_steps</c>.</summary>
    public const int DefaultMaxEpisodeSteps = 200;

    /// <summary>Bound on θ̇.</summary>
    public const double MaxSpeed = 8;

    /// <summary>Bound on the torque.</summary>
    public const double MaxTorque = 2.0;

    private const double Dt = 0.05;
    private const double M = 1.0;
    private const double L = 1.0;

    private readonly double _g;
    private readonly BoxSpace _actions;

    /// <summary>A pendulum with Gymnasium's gravity and time limit (or others).</summary>
    /// <param name="g">Gravity (Gymnasium's <c>g</c> argument).</param>
    /// <param name="maxEpisodeSteps">Time limit.</param>
    public Pendulum(double g = 10.0, int maxEpisodeSteps = DefaultMaxEpisodeSteps)
        : base(GymId, new BoxSpace([-1f, -1f, -(float)MaxSpeed], [1f, 1f, (float)MaxSpeed], 3), BoxSpace.Uniform(-(float)MaxTorque, (float)MaxTorque, 1), 2, maxEpisodeSteps)
    {
        if (!double.IsFinite(g)) throw new ArgumentOutOfRangeException(nameof(g), g, "Gravity must be finite.");
        _g = g;
        _actions = (BoxSpace)ActionSpace;
    }

    /// <summary>Gravity.</summary>
    public double Gravity => _g;

    /// <summary>Gymnasium's <c>angle_normalize</c>: ((x + π) mod 2π) − π with Python's floor modulo.</summary>
    public static double AngleNormalize(double x) => FloorMod(x + Math.PI, 2 * Math.PI) - Math.PI;

    private protected override void SampleInitialState(Random random, Span<double> state)
    {
        state[0] = Uniform(random, -Math.PI, Math.PI);
        state[1] = Uniform(random, -1.0, 1.0);
    }

    private protected override double Transition(ReadOnlySpan<float> action, Span<double> state, out bool terminated)
    {
        Span<float> clipped = stackalloc float[1];
        _actions.ClipAction(action, clipped);
        double th = state[0], thdot = state[1];

        // u = np.clip(u, -max_torque, max_torque)[0] stays float32; under NumPy 1.x it meets Python floats in float64.
        float u = Math.Clamp(clipped[0], -(float)MaxTorque, (float)MaxTorque);
        double uu = u;
        double costs = Math.Pow(AngleNormalize(th), 2) + 0.1 * Math.Pow(thdot, 2) + 0.001 * Math.Pow(uu, 2);

        double newThdot = thdot + (3 * _g / (2 * L) * Math.Sin(th) + 3.0 / (M * Math.Pow(L, 2)) * uu) * Dt;
        newThdot = Math.Clamp(newThdot, -MaxSpeed, MaxSpeed);
        double newTh = th + newThdot * Dt;
        state[0] = newTh;
        state[1] = newThdot;

        terminated = false;
        return -costs;
    }

    private protected override void WriteObservation(ReadOnlySpan<double> state, Span<float> observation)
    {
        observation[0] = (float)Math.Cos(state[0]);
        observation[1] = (float)Math.Sin(state[0]);
        observation[2] = (float)state[1];
    }

    /// <summary>Python's (and NumPy's) float modulo: the result has the divisor's sign.</summary>
    private static double FloorMod(double a, double b)
    {
        double mod = a % b; // fmod, exact
        if (mod != 0)
        {
            if ((b < 0) != (mod < 0)) mod += b;
        }
        else
        {
            mod = Math.CopySign(0.0, b);
        }

        return mod;
    }
}
