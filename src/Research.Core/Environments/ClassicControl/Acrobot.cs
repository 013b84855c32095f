namespace Research.Core.Environments.ClassicControl;

/// <summary>
/// Gymnasium's <c>Acrobot-v1</c>: two links, torque −1, 0 or +1 on the joint between them, the "book" dynamics
/// (Sutton and Barto) integrated with one classic Runge-Kutta step over [0, 0.2] s, no torque noise; reward −1 per
/// step and 0 on the step that swings the tip above the bar (−cos θ1 − cos(θ1 + θ2) &gt; 1), which terminates; time limit 500.
/// </summary>
/// <remarks>
/// State (Gymnasium's <c>env.unwrapped.state</c>, float64): [θ1, θ2, θ̇1, θ̇2]; after each step the angles are wrapped to
/// [−π, π] and the velocities bounded to ±4π and ±9π. Observation (float32): [cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2].
/// Actions: <see cref="DiscreteSpace"/>(3), index in <c>action[0]</c>. The arithmetic follows Gymnasium's <c>_dsdt</c>,
/// <c>rk4</c>, <c>wrap</c> and <c>bound</c> operation by operation. Reset draws U(−0.1, 0.1)^4 with <see cref="Random"/>
/// (not NumPy's PCG64) and rounds it to float32 as Gymnasium does; Gymnasium then computes the first observation's
/// cos/sin in float32 (NumPy's own float32 routines), here in float64 rounded to float32, which may differ in the last bit.
/// </remarks>
public sealed class Acrobot : ClassicControlEnv
{
    /// <summary>Gymnasium id.</summary>
    public const string GymId = "Acrobot-v1";

    /// <summary>Gymnasium's <c>max_episode_steps</c>.</summary>
    public const int DefaultMaxEpisodeSteps = 500;

    /// <summary>Bound on θ̇1 (4π).</summary>
    public const double MaxVel1 = 4 * Math.PI;

    /// <summary>Bound on θ̇2 (9π).</summary>
    public const double MaxVel2 = 9 * Math.PI;

    private const double Dt = 0.2;
    private const double L1 = 1.0;   // link 1's length
    private const double M1 = 1.0;   // link masses
    private const double M2 = 1.0;
    private const double Lc1 = 0.5;  // centres of mass
    private const double Lc2 = 0.5;
    private const double I1 = 1.0;   // moments of inertia
    private const double I2 = 1.0;
    private const double G = 9.8;

    private readonly DiscreteSpace _actions;

    /// <summary>An acrobot with Gymnasium's time limit (or another).</summary>
    public Acrobot(int maxEpisodeSteps = DefaultMaxEpisodeSteps)
        : base(GymId, ObservationBox(), new DiscreteSpace(3), 4, maxEpisodeSteps)
    {
        _actions = (DiscreteSpace)ActionSpace;
    }

    private static BoxSpace ObservationBox()
    {
        float[] high = [1f, 1f, 1f, 1f, (float)MaxVel1, (float)MaxVel2];
        float[] low = [-1f, -1f, -1f, -1f, -(float)MaxVel1, -(float)MaxVel2];
        return new BoxSpace(low, high, 6);
    }

    private protected override void SampleInitialState(Random random, Span<double> state)
    {
        // Gymnasium keeps the reset state as float32 (.astype(np.float32)).
        for (int i = 0; i < 4; i++) state[i] = (float)Uniform(random, -0.1, 0.1);
    }

    private protected override double Transition(ReadOnlySpan<float> action, Span<double> state, out bool terminated)
    {
        int a = _actions.DiscreteAction(action);
        double torque = a - 1; // AVAIL_TORQUE = [-1, 0, +1]

        // rk4(_dsdt, [s, torque], [0, dt]): one step; the torque's derivative is 0 so it stays constant.
        const double h = Dt - 0;
        const double h2 = h / 2.0;
        double y0 = state[0], y1 = state[1], y2 = state[2], y3 = state[3];
        Derivatives(y0, y1, y2, y3, torque, out double k1a, out double k1b, out double k1c, out double k1d);
        Derivatives(y0 + h2 * k1a, y1 + h2 * k1b, y2 + h2 * k1c, y3 + h2 * k1d, torque, out double k2a, out double k2b, out double k2c, out double k2d);
        Derivatives(y0 + h2 * k2a, y1 + h2 * k2b, y2 + h2 * k2c, y3 + h2 * k2d, torque, out double k3a, out double k3b, out double k3c, out double k3d);
        Derivatives(y0 + h * k3a, y1 + h * k3b, y2 + h * k3c, y3 + h * k3d, torque, out double k4a, out double k4b, out double k4c, out double k4d);
        const double h6 = h / 6.0;
        double n0 = y0 + h6 * (k1a + 2 * k2a + 2 * k3a + k4a);
        double n1 = y1 + h6 * (k1b + 2 * k2b + 2 * k3b + k4b);
        double n2 = y2 + h6 * (k1c + 2 * k2c + 2 * k3c + k4c);
        double n3 = y3 + h6 * (k1d + 2 * k2d + 2 * k3d + k4d);

        state[0] = Wrap(n0, -Math.PI, Math.PI);
        state[1] = Wrap(n1, -Math.PI, Math.PI);
        state[2] = Bound(n2, -MaxVel1, MaxVel1);
        state[3] = Bound(n3, -MaxVel2, MaxVel2);

        terminated = -Math.Cos(state[0]) - Math.Cos(state[1] + state[0]) > 1.0;
        return terminated ? 0.0 : -1.0;
    }

    /// <summary>Gymnasium's <c>_dsdt</c> with <c>book_or_nips="book"</c>, same operations in the same order.</summary>
    private static void Derivatives(double theta1, double theta2, double dtheta1, double dtheta2, double a,
        out double d0, out double d1Out, out double d2Out, out double d3)
    {
        double d1 = M1 * Math.Pow(Lc1, 2) + M2 * (Math.Pow(L1, 2) + Math.Pow(Lc2, 2) + 2 * L1 * Lc2 * Math.Cos(theta2)) + I1 + I2;
        double d2 = M2 * (Math.Pow(Lc2, 2) + L1 * Lc2 * Math.Cos(theta2)) + I2;
        double phi2 = M2 * Lc2 * G * Math.Cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -M2 * L1 * Lc2 * Math.Pow(dtheta2, 2) * Math.Sin(theta2)
            - 2 * M2 * L1 * Lc2 * dtheta2 * dtheta1 * Math.Sin(theta2)
            + (M1 * Lc1 + M2 * L1) * G * Math.Cos(theta1 - Math.PI / 2)
            + phi2;
        double ddtheta2 = (a + d2 / d1 * phi1 - M2 * L1 * Lc2 * Math.Pow(dtheta1, 2) * Math.Sin(theta2) - phi2)
            / (M2 * Math.Pow(Lc2, 2) + I2 - Math.Pow(d2, 2) / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        d0 = dtheta1;
        d1Out = dtheta2;
        d2Out = ddtheta1;
        d3 = ddtheta2;
    }

    /// <summary>Gymnasium's <c>wrap</c>: shifts x by whole periods (M − m) until m ≤ x ≤ M.</summary>
    private static double Wrap(double x, double m, double big)
    {
        double diff = big - m;
        while (x > big) x = x - diff;
        while (x < m) x = x + diff;
        return x;
    }

    /// <summary>Gymnasium's <c>bound</c>: min(max(x, m), M).</summary>
    private static double Bound(double x, double m, double big) => Math.Min(Math.Max(x, m), big);

    private protected override void WriteObservation(ReadOnlySpan<double> state, Span<float> observation)
    {
        observation[0] = (float)Math.Cos(state[0]);
        observation[1] = (float)Math.Sin(state[0]);
        observation[2] = (float)Math.Cos(state[1]);
        observation[3] = (float)Math.Sin(state[1]);
        observation[4] = (float)state[2];
        observation[5] = (float)state[3];
    }
}
