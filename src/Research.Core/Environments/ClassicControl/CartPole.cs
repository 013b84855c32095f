namespace Research.Core.Environments.ClassicControl;

/// <summary>
/// Gymnasium's <c>CartPole-v1</c> (Barto, Sutton and Anderson's cart-pole) with its defaults: explicit Euler
/// integration (<c>kinematics_integrator="euler"</c>), reward 1 on every step including the terminating one
/// (<c>sutton_barto_reward=False</c>), termination when |x| &gt; 2.4 or |θ| &gt; 12°, time limit 500.
/// </summary>
/// <remarks>
/// State (Gymnasium's <c>env.unwrapped.state</c>, float64): [x, ẋ, θ, θ̇]; the observation is the state rounded to float32.
/// Actions: <see cref="DiscreteSpace"/>(2), index in <c>action[0]</c> (0 pushes left, 1 right). The arithmetic follows
/// Gymnasium's <c>step</c> operation by operation, so a rollout from a state set with <see cref="ClassicControlEnv.SetState"/>
/// reproduces Gymnasium's bit for bit (where NumPy's <c>cos</c>/<c>sin</c> are the C library's; see the test fixtures).
/// Reset draws the state from U(−0.05, 0.05)^4 with <see cref="Random"/>, not NumPy's PCG64.
/// </remarks>
public sealed class CartPole : ClassicControlEnv
{
    /// <summary>Gymnasium id.</summary>
    public const string GymId = "CartPole-v1";

    /// <summary>Gymnasium's <c>max_episode_steps</c> for v1.</summary>
    public const int DefaultMaxEpisodeSteps = 500;

    /// <summary>Pole angle beyond which the episode terminates: 12° in radians, computed as Gymnasium computes it.</summary>
    public const double ThetaThresholdRadians = 12 * 2 * Math.PI / 360;

    /// <summary>Cart position beyond which the episode terminates.</summary>
    public const double XThreshold = 2.4;

    private const double Gravity = 9.8;
    private const double MassCart = 1.0;
    private const double MassPole = 0.1;
    private const double TotalMass = MassPole + MassCart;
    private const double Length = 0.5; // half the pole's length
    private const double PoleMassLength = MassPole * Length;
    private const double ForceMag = 10.0;
    private const double Tau = 0.02;

    private readonly DiscreteSpace _actions;

    /// <summary>A cart-pole with Gymnasium's time limit (or another).</summary>
    public CartPole(int maxEpisodeSteps = DefaultMaxEpisodeSteps)
        : base(GymId, ObservationBox(), new DiscreteSpace(2), 4, maxEpisodeSteps)
    {
        _actions = (DiscreteSpace)ActionSpace;
    }

    private static BoxSpace ObservationBox()
    {
        float[] high = [(float)(XThreshold * 2), float.PositiveInfinity, (float)(ThetaThresholdRadians * 2), float.PositiveInfinity];
        float[] low = [-high[0], -high[1], -high[2], -high[3]];
        return new BoxSpace(low, high, 4);
    }

    private protected override void SampleInitialState(Random random, Span<double> state)
    {
        for (int i = 0; i < 4; i++) state[i] = Uniform(random, -0.05, 0.05);
    }

    private protected override double Transition(ReadOnlySpan<float> action, Span<double> state, out bool terminated)
    {
        int a = _actions.DiscreteAction(action);
        double x = state[0], xDot = state[1], theta = state[2], thetaDot = state[3];
        double force = a == 1 ? ForceMag : -ForceMag;
        double cosTheta = Math.Cos(theta);
        double sinTheta = Math.Sin(theta);

        // Same operations in the same order as Gymnasium (np.square(v) is v * v).
        double temp = (force + PoleMassLength * (thetaDot * thetaDot) * sinTheta) / TotalMass;
        double thetaAcc = (Gravity * sinTheta - cosTheta * temp) / (Length * (4.0 / 3.0 - MassPole * (cosTheta * cosTheta) / TotalMass));
        double xAcc = temp - PoleMassLength * thetaAcc * cosTheta / TotalMass;

        // Explicit Euler: positions advance with the old velocities.
        x = x + Tau * xDot;
        xDot = xDot + Tau * xAcc;
        theta = theta + Tau * thetaDot;
        thetaDot = thetaDot + Tau * thetaAcc;
        state[0] = x;
        state[1] = xDot;
        state[2] = theta;
        state[3] = thetaDot;

        terminated = x < -XThreshold || x > XThreshold || theta < -ThetaThresholdRadians || theta > ThetaThresholdRadians;
        return 1.0;
    }

    private protected override void WriteObservation(ReadOnlySpan<double> state, Span<float> observation)
    {
        for (int i = 0; i < 4; i++) observation[i] = (float)state[i];
    }
}
